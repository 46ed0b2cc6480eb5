package io.github.autodeploy.testkit;

import io.github.autodeploy.core.port.ProtectionRuleApi;
import io.github.autodeploy.core.port.ProtectionRuleResult;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ProtectionRuleApi} for tests that plays GitHub's side in memory: it keeps every review and
 * report it took (or may have taken), applies the port's limits as the real client does, and can be told
 * to answer the next calls otherwise (refused, outcome unknown, not configured) or to throw a retryable
 * failure before anything was sent. Thread-safe.
 */
public final class RecordingProtectionRules implements ProtectionRuleApi {
    /** One review or report GitHub received; {@code decision} is empty for a report. */
    public record Received(ProtectionRuleTarget target, Optional<Decision> decision, String comment) {
    }

    private final List<Received> received = new ArrayList<>();
    private final Map<ProtectionRuleTarget, Integer> reportCounts = new HashMap<>();
    private final Deque<Object> scripted = new ArrayDeque<>();
    private int calls;

    /**
     * The next call answers {@code result} instead of {@link ProtectionRuleResult.Sent}; an {@link
     * ProtectionRuleResult.OutcomeUnknown} is received all the same (GitHub took it and the answer was
     * lost), the other answers are not.
     */
    public synchronized RecordingProtectionRules answerNext(ProtectionRuleResult result) {
        scripted.addLast(result);
        return this;
    }

    /** The next call throws {@code failure} (an {@code ApiException} that says whether to retry) and nothing is received. */
    public synchronized RecordingProtectionRules failNext(RuntimeException failure) {
        scripted.addLast(failure);
        return this;
    }

    @Override
    public ProtectionRuleResult review(ProtectionRuleTarget target, Decision decision, String comment) {
        return take(new Received(target, Optional.of(decision), ProtectionRuleApi.fit(comment)));
    }

    @Override
    public ProtectionRuleResult report(ProtectionRuleTarget target, String markdown) {
        return take(new Received(target, Optional.empty(), ProtectionRuleApi.fit(markdown)));
    }

    private synchronized ProtectionRuleResult take(Received r) {
        calls++;
        if (r.target().installationId().isEmpty()) {
            return new ProtectionRuleResult.NotConfigured("the event named no App installation, so nothing answers for "
                    + r.target());
        }
        boolean report = r.decision().isEmpty();
        if (report && reportCounts.getOrDefault(r.target(), 0) >= MAX_REPORTS) {
            return new ProtectionRuleResult.LimitReached(r.target() + " already has " + MAX_REPORTS + " status reports");
        }
        Object next = scripted.pollFirst();
        if (next instanceof RuntimeException failure) {
            throw failure;
        }
        ProtectionRuleResult answer = next == null ? new ProtectionRuleResult.Sent() : (ProtectionRuleResult) next;
        if (answer instanceof ProtectionRuleResult.Sent || answer instanceof ProtectionRuleResult.OutcomeUnknown) {
            received.add(r);
            if (report) {
                reportCounts.merge(r.target(), 1, Integer::sum);
            }
        }
        return answer;
    }

    /** Every review and report GitHub received, in order. */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** The reviews GitHub received for {@code target}, in order. */
    public synchronized List<Received> reviews(ProtectionRuleTarget target) {
        return received.stream().filter(r -> r.target().equals(target) && r.decision().isPresent()).toList();
    }

    /** The reports GitHub received for {@code target}, in order. */
    public synchronized List<Received> reports(ProtectionRuleTarget target) {
        return received.stream().filter(r -> r.target().equals(target) && r.decision().isEmpty()).toList();
    }

    /** Calls made, including those that sent nothing. */
    public synchronized int calls() {
        return calls;
    }
}
