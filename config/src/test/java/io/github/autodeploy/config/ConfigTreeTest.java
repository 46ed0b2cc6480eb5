package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration's tree and its plain values are what databind's {@code readTree} and
 * {@code convertValue(node, Object.class)} give, for the fuzz seeds and documents chosen for their edges.
 */
class ConfigTreeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<String> documents() throws IOException {
        List<String> docs = new ArrayList<>(List.of(
                "",
                "a: 1\na: two\n",
                "n: [1, -2147483649, 9223372036854775808, 1.5, -0.0, 1e400, .inf, .nan, 0x1F, 0o17, 1_000]\n",
                "t: [yes, no, true, false, ~, null, '', \"x\"]\n",
                "m: {a: {b: [c, {d: e}]}, f: []}\n",
                "b: !!binary aGVsbG8=\n",
                "ansible_extra_vars: {release: 3, tags: [a, b], debug: true, none: null, ratio: 0.25}\n",
                "- just\n- a list\n",
                "plain text\n",
                "{\"json\": [1, 2.5, 12345678901234567890, {\"x\": null}], \"json\": false}"));
        Path seeds = Path.of("src/test/resources/io/github/autodeploy/config/ConfigFileFuzzTestInputs");
        try (Stream<Path> files = Files.walk(seeds)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                docs.add(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return docs.stream();
    }

    @ParameterizedTest
    @MethodSource("documents")
    void readsTheTreeReadTreeReads(String text) throws IOException {
        JsonFactory factory = text.startsWith("{") ? new JsonFactory() : new YAMLFactory();
        JsonNode expected;
        JsonNode actual;
        try (JsonParser a = factory.createParser(text); JsonParser b = factory.createParser(text)) {
            expected = MAPPER.readTree(a);
            actual = ConfigTree.read(b);
        } catch (com.fasterxml.jackson.core.JacksonException refused) {
            // The parser refuses the text (too deep, say): both readers must refuse it alike.
            try (JsonParser b = factory.createParser(text)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigTree.read(b))
                        .isInstanceOf(refused.getClass());
            }
            return;
        }
        assertThat(actual).isEqualTo(expected);
        if (expected != null) {
            assertThat(ConfigTree.plain(actual)).usingRecursiveComparison().withStrictTypeChecking()
                    .isEqualTo(MAPPER.convertValue(expected, Object.class));
        }
    }
}
