package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script ({@code examples/standalone/autodeploy}) as an operator meets it: a jar in a folder
 * whose name has a space, an archive cut short on disk, a jar named by {@code AUTODEPLOY_JAR} that is not there.
 */
class LauncherIT {
    private static final Path JAR = Path.of("target/autodeploy-standalone.jar").toAbsolutePath();
    private static final Path SCRIPT = Path.of("autodeploy").toAbsolutePath();

    private record Run(int exit, String output) {
    }

    private static Run launch(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(dir.resolve("autodeploy").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("AUTODEPLOY_JAR");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the launcher ended").isTrue();
        return new Run(p.exitValue(), out);
    }

    /** JVM options that make a JVM refuse to start unless it maps the launcher's archive (on JDK 25 and later, its AOT cache). */
    private static String archiveRequired() {
        return Runtime.version().feature() >= 25 ? "-XX:AOTMode=on" : "-Xshare:on";
    }

    private static Path copy(Path into) throws IOException {
        return copy(into, "with space");
    }

    private static Path copy(Path into, String folder) throws IOException {
        Path dir = Files.createDirectories(into.resolve(folder));
        Files.copy(JAR, dir.resolve("autodeploy-standalone.jar"));
        Files.copy(SCRIPT, dir.resolve("autodeploy"));
        dir.resolve("autodeploy").toFile().setExecutable(true);
        return dir;
    }

    @Test
    void aFolderWithASpaceGetsItsArchiveAndRunsWithIt(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp);

        Run prepare = launch(dir, Map.of(), "prepare");
        assertThat(prepare.exit()).as(prepare.output()).isZero();
        assertThat(dir.resolve("autodeploy-standalone.jsa")).isNotEmptyFile();
        assertThat(dir.resolve("autodeploy-standalone.jsa.stamp")).isNotEmptyFile();

        // JAVA_OPTS reaches the JVM; -Xshare:on makes a JVM that cannot map the archive refuse to start, so a
        // started server proves the archive's path (with its space) was passed whole.
        Run check = launch(dir, Map.of("JAVA_OPTS", archiveRequired()), "serve", "--config", dir.resolve("none.yml").toString());
        assertThat(check.exit()).as(check.output()).isEqualTo(1);
        assertThat(check.output()).contains("none.yml has 1 problem").contains("the file does not exist")
                .doesNotContain("making the class-data archive");
    }

    /**
     * The operator's choices win over the launcher's own: on JDK 25 and later the JVM refuses an AOT cache beside
     * -Xshare:off, and any JVM refuses two collectors (from the hostile review: -XX:+UseG1GC kept the server from
     * starting; a tab before -Xshare:off, or JAVA_TOOL_OPTIONS, was not seen).
     */
    @Test
    void javaOptionsThatChooseSharingOrACollectorStillStartTheServer(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp, "operator");
        Run prepare = launch(dir, Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseG1GC"), "prepare");
        assertThat(prepare.output()).as("the training run with the operator's collector").doesNotContain("training run failed");
        assertThat(dir.resolve("autodeploy-standalone.jsa")).isNotEmptyFile();

        for (Map<String, String> env : List.of(Map.of("JAVA_OPTS", "-Xmx256m\t-Xshare:off"), Map.of("JAVA_TOOL_OPTIONS", "-Xshare:off"),
                Map.of("JAVA_OPTS", "-XX:+UseG1GC"), Map.of("JAVA_OPTS", "-XX:+UseParallelGC -Xshare:off"))) {
            Run check = launch(dir, env, "serve", "--config", dir.resolve("none.yml").toString());

            assertThat(check.exit()).as(env + ": " + check.output()).isEqualTo(1);
            assertThat(check.output()).as(env.toString()).contains("none.yml has 1 problem")
                    .doesNotContain("Error occurred during initialization of VM");
        }
    }

    /**
     * Class sharing of the operator's own, before any archive exists: the training run would fail beside it (JDK 17:
     * no dynamic archive without the base one; JDK 25: no AOT cache output beside -Xshare), so it was tried, and its
     * failure printed, at every start. Now no archive is made and no training run is tried.
     */
    @Test
    void sharingOfTheOperatorsOwnMakesNoArchiveAndTriesNoTrainingRun(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp, "own-sharing");
        for (int start = 1; start <= 2; start++) {
            Run check = launch(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xshare:off"), "serve", "--config", dir.resolve("none.yml").toString());

            assertThat(check.exit()).as("start " + start + ": " + check.output()).isEqualTo(1);
            assertThat(check.output()).as("start " + start).contains("none.yml has 1 problem")
                    .doesNotContain("training run").doesNotContain("making the class-data archive");
        }
        Run prepare = launch(dir, Map.of("JAVA_OPTS", "-Xshare:off"), "prepare");

        assertThat(prepare.exit()).isZero();
        assertThat(prepare.output()).contains("choose class sharing of their own: no class-data archive is made");
        assertThat(dir.resolve("autodeploy-standalone.jsa")).doesNotExist();
        assertThat(dir.resolve("autodeploy-standalone.jsa.stamp")).doesNotExist();
    }

    /** From the hostile review: a jar dated in the future (a build machine's clock ahead) made every start a training run. */
    @Test
    void aJarFromTheFutureIsTrainedForOnce(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp, "future");
        Files.setLastModifiedTime(dir.resolve("autodeploy-standalone.jar"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().plus(java.time.Duration.ofHours(2))));

        assertThat(launch(dir, Map.of(), "prepare").output()).contains("making the class-data archive");
        Run again = launch(dir, Map.of(), "prepare");

        assertThat(again.exit()).isZero();
        assertThat(again.output()).doesNotContain("making the class-data archive");
    }

    @Test
    void onJdk17To21TheArchiveIsMappedWhereItWasMadeForNotRelocated(@TempDir Path tmp) throws Exception {
        // JDK 17 maps the archive of a jar whose path has a space but loads none of its classes from it
        Path dir = copy(tmp, "launcher");
        assertThat(launch(dir, Map.of(), "prepare").exit()).isZero();

        Run check = launch(dir, Map.of("JAVA_OPTS", archiveRequired() + " -Xlog:cds=info -Xlog:class+load=info"), "serve", "--config",
                dir.resolve("none.yml").toString());

        assertThat(check.exit()).isEqualTo(1);
        List<String> lines = check.output().lines().toList();
        assertThat(lines).as("the server's classes come from the archive")
                .anyMatch(l -> l.contains("io.github.autodeploy.examples.standalone.Main source: shared objects file"));
        if (Runtime.version().feature() <= 21) {
            assertThat(lines).as("the archive is not relocated").noneMatch(l -> l.contains("at an alternative address"));
        }
    }

    /** From the hostile review: slow connections ran a small heap out, Tomcat's acceptor died, and the server served nothing. */
    @Test
    void theServerRunsWithTheLaunchersFlagsAndEndsAtItsFirstOutOfMemoryError(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp, "flags");
        assertThat(launch(dir, Map.of(), "prepare").exit()).isZero();

        Run check = launch(dir, Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"), "serve", "--config", dir.resolve("none.yml").toString());

        assertThat(check.exit()).isEqualTo(1);
        List<String> flags = check.output().lines().filter(l -> l.contains("{command line}")).toList();
        assertThat(flags).anyMatch(l -> l.matches("\\s*bool ExitOnOutOfMemoryError\\s+= true\\s.*"))
                .anyMatch(l -> l.matches("\\s*bool UseSerialGC\\s+= true\\s.*"))
                .anyMatch(l -> l.matches("\\s*size_t TLABSize\\s+= 65536\\s.*"));
        // JDK 25 and later: an AOT cache (classes linked, methods' profiles) rather than a class-data archive
        String archiveFlag = Runtime.version().feature() >= 25 ? "AOTCache" : "SharedArchiveFile";
        assertThat(flags).anyMatch(l -> l.matches("\\s*ccstr " + archiveFlag + "\\s+= .*autodeploy-standalone\\.jsa\\s.*"));
    }

    /**
     * sqlite-jdbc by itself unpacks its native library into the temporary folder at every start, under a new name, and
     * runs {@code uname -o} first (a process, and a process-reaper thread for a minute): about 100 ms of a SQLite
     * server's start. The launcher's training run copies the library beside the jar once, and the server loads it
     * from there.
     */
    @Test
    void aSqliteServerLoadsSqlitesLibraryFromBesideTheJarUnpacksNothingAndStartsNoProcess(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp, "native");
        assertThat(launch(dir, Map.of(), "prepare").exit()).isZero();
        assertThat(library(dir)).isNotEmptyFile();
        Path temporary = Files.createDirectories(tmp.resolve("java-tmp"));

        try (SqliteServer server = SqliteServer.start(dir, "-Djava.io.tmpdir=" + temporary)) {
            try (java.util.stream.Stream<Path> unpacked = Files.list(temporary)) {
                assertThat(unpacked.map(p -> p.getFileName().toString())).as("unpacked into the temporary folder")
                        .noneMatch(name -> name.contains("sqlitejdbc"));
            }
            // The JDK's process-reaper thread starts with the first process and waits a minute for the next.
            // (Not the class-load log: on JDK 25 an AOT cache loads the classes its training run used at start.)
            assertThat(server.threads()).as("the server's threads").isNotEmpty().doesNotContain("process reaper");
        }
    }

    /**
     * From the hostile review: the launcher passed whatever file came first in the folder as SQLite's library (a
     * stray README.txt kept the server from starting; a planted .so ran), and a library cut short on disk crashed
     * the JVM at every start, since the archive's stamp did not cover it.
     */
    @Test
    void onlySqlitesOwnLibraryIsPassedAndOneCutShortOrSwappedIsCopiedAgain(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp, "stray");
        assertThat(launch(dir, Map.of(), "prepare").exit()).isZero();
        byte[] whole = Files.readAllBytes(library(dir));
        Files.writeString(library(dir).resolveSibling("00-README.txt"), "not a library");

        try (SqliteServer server = SqliteServer.start(dir, "")) {
            assertThat(server.threads()).isNotEmpty();
        }

        library(dir).toFile().setWritable(true);
        Files.write(library(dir), java.util.Arrays.copyOf(whole, 300_000));
        Run again = launch(dir, Map.of(), "prepare");
        assertThat(again.output()).contains("making the class-data archive");
        assertThat(library(dir)).hasBinaryContent(whole);

        Files.writeString(library(dir), "not a library either");
        try (SqliteServer server = SqliteServer.start(dir, "")) {
            assertThat(server.output()).as("copied again before the server started").contains("making the class-data archive");
            assertThat(library(dir)).hasBinaryContent(whole);
        }
    }

    private static Path library(Path dir) {
        return dir.resolve("autodeploy-standalone.native").resolve(System.mapLibraryName("sqlitejdbc"));
    }

    /** {@code autodeploy serve} in {@code dir} with a SQLite store, started by the launcher and listening; destroyed on close. */
    private record SqliteServer(Process process, List<String> lines, Thread reader) implements AutoCloseable {
        static SqliteServer start(Path dir, String javaOpts) throws Exception {
            Path config = dir.resolve("autodeploy.yml");
            Files.writeString(config, """
                    github:
                      webhook_secret: launcher-test-secret
                    store:
                      url: "jdbc:sqlite:%s"
                    repos:
                      octo/app:
                        folder: "%s"
                        required_contexts: []
                        commands:
                          - ["true"]
                    """.formatted(dir.resolve("store/autodeploy.db"), dir));
            ProcessBuilder pb = new ProcessBuilder(dir.resolve("autodeploy").toString(), "serve", "--config", config.toString(),
                    "--port", "0").directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().remove("AUTODEPLOY_JAR");
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("JAVA_OPTS", javaOpts);
            Process server = pb.start();
            List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8)).lines().forEach(lines::add));
            reader.start();
            SqliteServer started = new SqliteServer(server, lines, reader);
            try {
                org.awaitility.Awaitility.await("the SQLite server listening").atMost(java.time.Duration.ofSeconds(90))
                        .until(() -> !server.isAlive() || lines.stream().anyMatch(l -> l.contains("is listening on")));
                assertThat(server.isAlive()).as(String.join("\n", lines)).isTrue();
            } catch (RuntimeException | AssertionError e) {
                started.close();
                throw e;
            }
            return started;
        }

        String output() {
            return String.join("\n", lines);
        }

        /** The names of the server's threads, as Linux keeps them. */
        List<String> threads() throws IOException {
            List<String> names = new ArrayList<>();
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
                for (Path task : tasks.toList()) {
                    names.add(Files.readString(task.resolve("comm")).strip());
                }
            }
            return names;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
        }
    }

    @Test
    void anArchiveCutShortIsMadeAgainNotMapped(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp);
        assertThat(launch(dir, Map.of(), "prepare").exit()).isZero();
        Path archive = dir.resolve("autodeploy-standalone.jsa");
        long size = Files.size(archive);
        byte[] start = new byte[1_000_000];
        try (var in = Files.newInputStream(archive)) {
            in.readNBytes(start, 0, start.length);
        }
        archive.toFile().setWritable(true);
        Files.write(archive, start);

        Run again = launch(dir, Map.of(), "prepare");

        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("making the class-data archive");
        assertThat(Files.size(archive)).isGreaterThan(start.length).isCloseTo(size, org.assertj.core.data.Percentage.withPercentage(20));
    }

    @Test
    void anAutodeployJarThatIsNotThereIsAnError(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp);

        Run run = launch(dir, Map.of("AUTODEPLOY_JAR", dir.resolve("missing.jar").toString()), "check-config");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("AUTODEPLOY_JAR names").contains("missing.jar");
    }
}
