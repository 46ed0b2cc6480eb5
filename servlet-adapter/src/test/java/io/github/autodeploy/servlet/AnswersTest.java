package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAnswerIsCompactJsonWithItsResultAndReason() {
        assertThat(new String(Answers.json("accepted", "deployment 7 queued for production"), StandardCharsets.UTF_8))
                .isEqualTo("{\"result\":\"accepted\",\"reason\":\"deployment 7 queued for production\"}");
    }

    @Test
    void quotesBackslashesControlCharactersAndLoneSurrogatesAreEscapedSoAnyReasonReadsBackWhole() throws Exception {
        String reason = "a \"quoted\" \\ path\nnew line\ttab\u0000nul \u2028 é 日本 \uD83D\uDE80 rocket";
        JsonNode read = JSON.readTree(Answers.json("ignored", reason));
        assertThat(read.get("result").asText()).isEqualTo("ignored");
        assertThat(read.get("reason").asText()).isEqualTo(reason);

        JsonNode lone = JSON.readTree(Answers.json("ignored", "half \uD83D of a pair"));
        assertThat(lone.get("reason").asText()).isEqualTo("half \uD83D of a pair");
    }
}
