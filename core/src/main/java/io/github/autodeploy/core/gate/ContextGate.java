package io.github.autodeploy.core.gate;

import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.ContextState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether a commit may be deployed from the contexts CI reported for it. A commit status and
 * a check run with the same name are one context; the newest report wins. Immutable and thread-safe.
 */
public final class ContextGate {
    private final boolean neutralOrSkippedPasses;

    private ContextGate(boolean neutralOrSkippedPasses) {
        this.neutralOrSkippedPasses = neutralOrSkippedPasses;
    }

    /** The default gate: only {@code success} passes, as GitHub's own deployment check does. */
    public static ContextGate strict() {
        return new ContextGate(false);
    }

    /** A gate for which a {@code neutral} or {@code skipped} check run also passes. */
    public static ContextGate neutralOrSkippedPasses() {
        return new ContextGate(true);
    }

    public static ContextGate of(boolean neutralOrSkippedPasses) {
        return new ContextGate(neutralOrSkippedPasses);
    }

    public GateDecision decide(RequiredContexts required, List<ContextReport> reports) {
        if (required.isNone()) {
            return new GateDecision.Open();
        }
        Map<String, ContextReport> newest = newestPerContext(reports);
        List<String> names = required.names().orElseGet(() -> new ArrayList<>(newest.keySet()));
        List<String> pending = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, ContextState> failed = new TreeMap<>();
        for (String name : names) {
            ContextReport report = newest.get(name);
            if (report == null) {
                missing.add(name);
                continue;
            }
            switch (verdict(report.state())) {
                case PASS -> { }
                case WAIT -> pending.add(name);
                case FAIL -> failed.put(name, report.state());
            }
        }
        if (!failed.isEmpty()) {
            return new GateDecision.Closed(failed);
        }
        if (!pending.isEmpty() || !missing.isEmpty()) {
            return new GateDecision.Wait(pending, missing);
        }
        return new GateDecision.Open();
    }

    private enum Verdict { PASS, WAIT, FAIL }

    private Verdict verdict(ContextState state) {
        return switch (state) {
            case SUCCESS -> Verdict.PASS;
            case PENDING -> Verdict.WAIT;
            case NEUTRAL, SKIPPED -> neutralOrSkippedPasses ? Verdict.PASS : Verdict.FAIL;
            case FAILURE, ERROR, CANCELLED, TIMED_OUT, ACTION_REQUIRED, STALE, STARTUP_FAILURE, UNKNOWN -> Verdict.FAIL;
        };
    }

    private static Map<String, ContextReport> newestPerContext(List<ContextReport> reports) {
        Map<String, ContextReport> newest = new LinkedHashMap<>();
        for (ContextReport r : reports) {
            newest.merge(r.context(), r, (a, b) -> b.updatedAt().isBefore(a.updatedAt()) ? a : b);
        }
        return newest;
    }
}
