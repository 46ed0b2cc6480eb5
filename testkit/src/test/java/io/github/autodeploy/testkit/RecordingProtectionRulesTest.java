package io.github.autodeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.ProtectionRuleApi;
import io.github.autodeploy.core.port.ProtectionRuleResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingProtectionRulesTest extends ProtectionRuleApiContract {
    private final RecordingProtectionRules api = new RecordingProtectionRules();

    @Override
    protected ProtectionRuleApi api() {
        return api;
    }

    @Override
    protected List<Received> received() {
        return api.received().stream().map(r -> new Received(r.target().runId(), r.target().environment().value(),
                r.decision().map(ProtectionRuleApi.Decision::apiValue), r.comment())).toList();
    }

    @Test
    void aScriptedLostAnswerIsReceivedAndARefusalIsNot() {
        api.answerNext(new ProtectionRuleResult.OutcomeUnknown("connection reset"))
                .answerNext(new ProtectionRuleResult.Refused(422, "No pending deployment"));
        assertThat(api.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "go"))
                .isEqualTo(new ProtectionRuleResult.OutcomeUnknown("connection reset"));
        assertThat(api.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "go"))
                .isEqualTo(new ProtectionRuleResult.Refused(422, "No pending deployment"));
        assertThat(api.reviews(TARGET)).hasSize(1);
        assertThat(api.calls()).isEqualTo(2);
    }

    @Test
    void aScriptedFailureIsThrownAndNothingIsReceived() {
        api.failNext(new ApiException("rate limited", true));
        assertThatThrownBy(() -> api.report(TARGET, "waiting")).isInstanceOf(ApiException.class);
        assertThat(api.reports(TARGET)).isEmpty();
        assertThat(api.report(TARGET, "waiting")).isEqualTo(new ProtectionRuleResult.Sent());
    }

    @Test
    void fitKeepsShortTextAndCutsByCodePointsWithoutSplittingOne() {
        assertThat(ProtectionRuleApi.fit("short")).isEqualTo("short");
        String exact = "y".repeat(ProtectionRuleApi.MAX_COMMENT);
        assertThat(ProtectionRuleApi.fit(exact)).isSameAs(exact);
        String emoji = "\uD83D\uDE80".repeat(2000);
        String cut = ProtectionRuleApi.fit(emoji);
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(ProtectionRuleApi.MAX_COMMENT);
        assertThat(cut).endsWith("\uD83D\uDE80…");
    }

    @Test
    void theNotConfiguredApiSendsNothingAndSaysWhy() {
        ProtectionRuleApi none = ProtectionRuleApi.notConfigured("no GitHub App is configured");
        assertThat(none.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "x"))
                .isEqualTo(new ProtectionRuleResult.NotConfigured("no GitHub App is configured"));
        assertThat(none.report(TARGET, "x")).isEqualTo(new ProtectionRuleResult.NotConfigured("no GitHub App is configured"));
    }
}
