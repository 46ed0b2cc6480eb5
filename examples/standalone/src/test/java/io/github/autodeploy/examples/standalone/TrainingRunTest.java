package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code training-run}, what the launcher runs under {@code -XX:ArchiveClassesAtExit}: it serves throwaway robots with
 * a token for a GitHub on 127.0.0.1, which answer its probe, its signed ping and a deployment (whose success status
 * reaches that GitHub), and an in-memory one that asks it for unfinished deployments; it leaves nothing behind.
 */
class TrainingRunTest {
    @Test
    void servesThrowawayRobotsThatDeployAndTalkToALocalGitHubAndLeavesNoFolder() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = trainingFolders(tmp);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"training-run"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("training run done");
        assertThat(trainingFolders(tmp)).as("temporary folders of training runs").isEqualTo(before);
    }

    @Test
    void withANativeFolderItCopiesSqlitesLibraryForThisMachineThere(@org.junit.jupiter.api.io.TempDir Path folder) throws Exception {
        Path into = folder.resolve("autodeploy-standalone.native");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"training-run", "--native-dir", into.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String resource = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/" + System.mapLibraryName("sqlitejdbc");
        byte[] inJar;
        try (var in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            inJar = in.readAllBytes();
        }
        try (Stream<Path> files = Files.list(into)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(System.mapLibraryName("sqlitejdbc"));
        }
        assertThat(into.resolve(System.mapLibraryName("sqlitejdbc"))).hasBinaryContent(inJar);
    }

    private static long trainingFolders(Path tmp) throws Exception {
        try (Stream<Path> entries = Files.list(tmp)) {
            // this process's own: other training runs on the machine (a launcher's prepare) come and go meanwhile
            return entries.filter(p -> p.getFileName().toString().startsWith(Main.TRAINING_FOLDER_PREFIX)).count();
        }
    }
}
