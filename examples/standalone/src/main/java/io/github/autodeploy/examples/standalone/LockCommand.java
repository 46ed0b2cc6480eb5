package io.github.autodeploy.examples.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code autodeploy lock|unlock REPO ENV --to URL --token T [--reason R] [--expires 2h] [--steal]}:
 * asks a running robot's JSON API to lock or unlock an environment. The token comes from {@code --token}
 * or {@code AUTODEPLOY_TOKEN} and is never printed. Exit codes: 0 done, 1 refused (or not reached),
 * 2 the command line was wrong. Stateless.
 */
final class LockCommand {
    static final String USAGE = """
              autodeploy lock REPO ENV --to URL [--token T] [--reason R] [--expires 2h] [--steal]
              autodeploy unlock REPO ENV --to URL [--token T] [--steal]
                  Locks or unlocks an environment of a running robot (URL: its address, such as
                  http://127.0.0.1:8080). The token (a deployer's) comes from --token or AUTODEPLOY_TOKEN.
                  --steal takes over (or removes) another user's lock.
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LockCommand() {
    }

    static int run(String command, List<String> args, PrintStream out, PrintStream err, Map<String, String> env)
            throws InterruptedException {
        List<String> positional = new ArrayList<>();
        String to = null;
        String token = null;
        String reason = null;
        String expires = null;
        boolean steal = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--steal")) {
                steal = true;
                continue;
            }
            if (a.startsWith("--")) {
                if (i + 1 >= args.size()) {
                    return usage(err, a + " needs a value");
                }
                String value = args.get(++i);
                switch (a) {
                    case "--to" -> to = value;
                    case "--token" -> token = value;
                    case "--reason" -> reason = value;
                    case "--expires" -> expires = value;
                    default -> {
                        return usage(err, "unknown option " + a);
                    }
                }
                if ((a.equals("--reason") || a.equals("--expires")) && command.equals("unlock")) {
                    return usage(err, "unlock takes no " + a);
                }
            } else {
                positional.add(a);
            }
        }
        if (positional.size() != 2) {
            return usage(err, command + " takes a repository (OWNER/NAME) and an environment");
        }
        if (to == null) {
            return usage(err, command + " needs --to URL, the robot's address");
        }
        if (token == null || token.isBlank()) {
            token = env.get("AUTODEPLOY_TOKEN");
        }
        if (token == null || token.isBlank()) {
            return usage(err, command + " needs a deployer's token: --token T, or AUTODEPLOY_TOKEN");
        }
        String repo = positional.get(0);
        int slash = repo.indexOf('/');
        if (slash <= 0 || slash != repo.lastIndexOf('/') || slash == repo.length() - 1) {
            return usage(err, "the repository must be written OWNER/NAME, not " + repo);
        }
        URI uri;
        try {
            String base = to.replaceAll("/+$", "").replaceAll("/deployments$", "");
            uri = URI.create(base + "/deployments/api/environments/" + segment(repo) + "/" + segment(positional.get(1)) + "/" + command);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                return usage(err, "--to must be an http or https URL, such as http://127.0.0.1:8080");
            }
        } catch (IllegalArgumentException e) {
            return usage(err, "--to is not a URL: " + to);
        }
        if (uri.getScheme().equals("http") && !loopback(uri.getHost())) {
            return usage(err, "--to " + uri.getScheme() + "://" + uri.getAuthority() + " is plain http to another machine: the token "
                    + "would travel in clear; use https (plain http only to 127.0.0.1 or localhost)");
        }
        ObjectNode body = JSON.createObjectNode();
        if (command.equals("lock")) {
            body.put("reason", reason == null ? "" : reason);
            if (expires != null) {
                body.put("expires_in", expires);
            }
        }
        body.put("steal", steal);
        HttpResponse<String> answer;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("could not reach " + uri.getScheme() + "://" + uri.getAuthority() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
            return 1;
        }
        JsonNode json;
        try {
            json = JSON.readTree(answer.body());
        } catch (IOException e) {
            json = JSON.createObjectNode();
        }
        if (answer.statusCode() == 200 && json.path("ok").asBoolean()) {
            out.println(shown(json.path("message").asText(command + "ed"), token));
            return 0;
        }
        if (!json.has("error")) {
            err.println(command + ": unexpected answer " + answer.statusCode() + " from " + uri.getScheme() + "://"
                    + uri.getAuthority() + " (not the robot's JSON API? check --to)");
            return 1;
        }
        String why = json.path("reason").asText("");
        err.println(shown(command + " refused (" + answer.statusCode() + " " + json.path("error").asText() + "): "
                + (why.isEmpty() ? "the server gave no reason" : why), token));
        return 1;
    }

    private static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * What the server said, as a terminal or a CI log may show it: control characters (escape
     * sequences) become spaces, and the token, should a server echo it, is masked.
     */
    static String shown(String text, String token) {
        String masked = token.isEmpty() ? text : text.replace(token, "***");
        StringBuilder b = new StringBuilder(Math.min(masked.length(), 2000));
        for (int i = 0; i < masked.length() && b.length() < 2000; i++) {
            char c = masked.charAt(i);
            b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? ' ' : c);
        }
        return b.toString();
    }

    private static String segment(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    private static int usage(PrintStream err, String problem) {
        err.print(problem + "\nusage:\n" + USAGE);
        return 2;
    }
}
