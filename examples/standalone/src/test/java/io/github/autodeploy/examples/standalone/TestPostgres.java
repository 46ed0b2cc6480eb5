package io.github.autodeploy.examples.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server the integration tests use, found as store-jdbc's tests find theirs:
 * {@code AUTODEPLOY_TEST_POSTGRES_URL} when set (CI starts one with {@code .ci/postgres}); otherwise,
 * on a developer's machine, a throwaway cluster started by that script and stopped when the JVM
 * exits. Under {@code CI=true} a missing URL is an error, never a skipped test; elsewhere, with no
 * PostgreSQL installed, {@link #url()} is empty with {@link #whyNone()} saying what to do. Thread-safe.
 */
final class TestPostgres {
    static final String URL_VARIABLE = "AUTODEPLOY_TEST_POSTGRES_URL";
    private static final Pattern EXPORT = Pattern.compile("export (\\w+)='([^']*)'");
    private static Optional<String> url;
    private static String whyNone = "";

    private TestPostgres() {
    }

    /** The server's JDBC URL (with user and password), or empty on a developer's machine without PostgreSQL. */
    static synchronized Optional<String> url() {
        if (url == null) {
            url = locate();
        }
        return url;
    }

    static synchronized String whyNone() {
        return whyNone;
    }

    /** A JDBC URL whose current schema is a new, empty one. */
    static String freshSchemaUrl() {
        String server = url().orElseThrow(() -> new IllegalStateException(whyNone()));
        String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a schema on the test PostgreSQL: " + e.getMessage(), e);
        }
        return server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static Optional<String> locate() {
        String given = System.getenv(URL_VARIABLE);
        if (given != null && !given.isBlank()) {
            return Optional.of(given);
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(URL_VARIABLE + " is not set under CI=true; .ci/run must start PostgreSQL "
                    + "with: eval \"$(.ci/postgres start)\"");
        }
        return startThrowawayCluster();
    }

    private static Optional<String> startThrowawayCluster() {
        Path script = Path.of("..", "..", ".ci", "postgres").toAbsolutePath().normalize();
        try {
            Process p = new ProcessBuilder("bash", script.toString(), "start").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                whyNone = "no PostgreSQL for this test: set " + URL_VARIABLE + " to a server's JDBC URL, or install "
                        + "Debian's postgresql so that " + script + " can start one (under CI=true this is a failure)";
                return Optional.empty();
            }
            String found = null;
            String dir = null;
            Matcher m = EXPORT.matcher(out);
            while (m.find()) {
                if (m.group(1).equals(URL_VARIABLE)) {
                    found = m.group(2);
                } else if (m.group(1).equals("AUTODEPLOY_TEST_POSTGRES_DIR")) {
                    dir = m.group(2);
                }
            }
            if (found == null || dir == null || !Files.isDirectory(Path.of(dir))) {
                throw new IllegalStateException(script + " printed no URL: " + out);
            }
            String cluster = dir;
            System.err.println("[TestPostgres] " + URL_VARIABLE + " is not set; started a throwaway cluster in " + cluster);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(script, cluster)));
            return Optional.of(found);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting PostgreSQL", e);
        }
    }

    private static void stop(Path script, String cluster) {
        try {
            new ProcessBuilder("bash", script.toString(), "stop", cluster).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("[TestPostgres] could not stop " + cluster + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
