package io.github.autodeploy.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;

/**
 * Reads the third-party test data in {@code ../shared/fixtures} (real GitHub payloads, GitHub's API
 * description, real tool output) for the conformance tests, and only for them: a class whose name
 * contains {@code Conformance} must be on the stack, so a behaviour test cannot come to depend on a
 * folder that a clone of the project does not have. When the folder is absent the conformance tests
 * are skipped with a message printed once, except under {@code CI=true}, where its absence fails
 * them. Thread-safe.
 */
public final class SharedFixtures {
    static final String MARKER = "Conformance";
    private static final Location LOCATION = Location.find(Path.of("").toAbsolutePath(), System.getenv());
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    private SharedFixtures() {
    }

    /**
     * Where the folder was looked for, and whether it was found.
     *
     * @param root  the {@code shared/fixtures} folder, when found
     * @param from  the folder the search started from (it goes up from there)
     * @param ci    {@code CI=true} was set: an absent folder is a failure, not a skip
     */
    record Location(Optional<Path> root, Path from, boolean ci) {
        static Location find(Path start, Map<String, String> env) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path candidate = p.resolve("shared/fixtures");
                if (Files.isDirectory(candidate)) {
                    return new Location(Optional.of(candidate), start, "true".equalsIgnoreCase(env.get("CI")));
                }
            }
            return new Location(Optional.empty(), start, "true".equalsIgnoreCase(env.get("CI")));
        }

        String absence() {
            return "../shared/fixtures (the third-party conformance data) was not found above " + from
                    + "; the *ConformanceTest classes did not run. Clone the project beside the shared folder to run them.";
        }

        /**
         * The folder; when it is absent, fails under CI and otherwise aborts the calling test (a skip),
         * printing the reason on the first call only.
         */
        Path require(AtomicBoolean told) {
            if (root.isPresent()) {
                return root.get();
            }
            if (ci) {
                throw new IllegalStateException(absence() + " CI=true is set, so its absence is a failure: "
                        + "make the shared folder available to the build.");
            }
            if (told.compareAndSet(false, true)) {
                System.err.println("[conformance] " + absence());
            }
            Assumptions.abort("../shared/fixtures is absent: conformance data not checked (see the note printed once above)");
            throw new AssertionError("unreachable");
        }
    }

    /** The fixture at {@code relative} (under {@code shared/fixtures}); fails when it is missing from a present folder. */
    public static Path path(String relative) {
        requireConformanceCaller();
        Path root = LOCATION.require(TOLD);
        Path p = root.resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("fixture " + relative + " is missing from " + root);
        }
        return p;
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String relative) {
        return new String(bytes(relative), StandardCharsets.UTF_8);
    }

    static void requireConformanceCaller() {
        boolean conformance = StackWalker.getInstance().walk(frames -> frames
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1))
                .anyMatch(name -> name.contains(MARKER)));
        if (!conformance) {
            throw new IllegalStateException("only conformance tests (classes named *" + MARKER + "*) may read ../shared/fixtures, "
                    + "which a clone of the project does not have; give this test its own small data instead");
        }
    }
}
