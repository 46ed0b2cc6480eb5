package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A clone of the project passes its tests without {@code ../shared}: no test source outside the
 * conformance set (files named {@code *Conformance*}) reads the shared folder, directly or through a
 * conformance helper. {@code SharedFixtures} also refuses such a caller at run time; this check
 * catches what it cannot see, such as a path built by hand.
 */
class StandsAloneTest {
    private static final Set<String> ALLOWED = Set.of("SharedFixtures.java", "SharedFixturesTest.java", "StandsAloneTest.java");
    private static final List<String> SHARED = List.of("SharedFixtures", "shared/fixtures", "../shared");

    /** Each offending file, with what it uses. */
    static Map<String, String> offenders(Map<String, String> sources) {
        Set<String> helpers = sources.keySet().stream().map(StandsAloneTest::simpleName)
                .filter(n -> n.contains("Conformance") && !n.endsWith("Test")).collect(Collectors.toSet());
        return sources.entrySet().stream()
                .filter(e -> !simpleName(e.getKey()).contains("Conformance") && !ALLOWED.contains(Path.of(e.getKey()).getFileName().toString()))
                .flatMap(e -> Stream.concat(SHARED.stream().filter(e.getValue()::contains),
                                helpers.stream().filter(h -> Pattern.compile("\\b" + h + "\\b").matcher(e.getValue()).find()))
                        .findFirst().map(used -> Map.entry(e.getKey(), used)).stream())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String simpleName(String path) {
        String file = Path.of(path).getFileName().toString();
        return file.endsWith(".java") ? file.substring(0, file.length() - 5) : file;
    }

    private static Map<String, String> testSources(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .collect(Collectors.toMap(p -> root.relativize(p).toString(), StandsAloneTest::read));
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void noTestOutsideTheConformanceSetReadsTheSharedFolder() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        assertThat(root.resolve("mvnw")).exists();
        Map<String, String> sources = testSources(root);
        assertThat(sources.keySet()).as("the conformance tests are still there")
                .anyMatch(f -> f.endsWith("WebhookParserConformanceTest.java"))
                .anyMatch(f -> f.endsWith("RecapConformanceTest.java"));
        assertThat(offenders(sources)).as("tests that need ../shared but are not *ConformanceTest").isEmpty();
    }

    @Test
    void theCheckCatchesADirectReadAHandBuiltPathAndAHelper() {
        Function<String, String> test = body -> "class X { void t() { " + body + " } }";
        Map<String, String> sources = Map.of(
                "a/src/test/java/ParserConformanceTest.java", test.apply("SharedFixtures.text(\"x\");"),
                "a/src/test/java/ApiConformance.java", test.apply("SharedFixtures.text(\"spec\");"),
                "a/src/test/java/DirectTest.java", test.apply("SharedFixtures.bytes(\"x\");"),
                "a/src/test/java/PathTest.java", test.apply("Path.of(\"../shared/fixtures/x\");"),
                "a/src/test/java/HelperTest.java", test.apply("ApiConformance.assertDescribes(r);"),
                "a/src/test/java/CleanTest.java", test.apply("SampleWebhooks.body(\"ping\", Map.of());"));
        assertThat(offenders(sources)).containsOnlyKeys("a/src/test/java/DirectTest.java", "a/src/test/java/PathTest.java",
                "a/src/test/java/HelperTest.java");
    }
}
