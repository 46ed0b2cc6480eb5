package io.github.autodeploy.core.gate;

import io.github.autodeploy.core.model.ContextState;
import java.util.List;
import java.util.Map;

/** What the gate decided for a commit. */
public sealed interface GateDecision {

    /** Every required context passed: deploy. */
    record Open() implements GateDecision {
    }

    /**
     * Nothing failed yet, but something has not finished ({@code pending}) or not reported at all
     * ({@code missing}): wait.
     */
    record Wait(List<String> pending, List<String> missing) implements GateDecision {
        public Wait {
            pending = List.copyOf(pending);
            missing = List.copyOf(missing);
        }
    }

    /** A required context failed: do not deploy this commit. */
    record Closed(Map<String, ContextState> failed) implements GateDecision {
        public Closed {
            failed = Map.copyOf(failed);
        }
    }
}
