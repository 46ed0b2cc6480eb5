package io.github.autodeploy.ansible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the per-host result of an {@code ansible-playbook} run from its output: the default
 * callback's PLAY RECAP, or the {@code stats} object the json callback prints last. Stateless.
 */
final class Recap {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINE = Pattern.compile("^(\\S+)\\s*:\\s*((?:\\w+=\\d+\\s*)+)$");
    private static final Pattern COUNT = Pattern.compile("(\\w+)=(\\d+)");

    private Recap() {
    }

    /** The hosts of the last recap (or json stats) in {@code lines}; empty when there is none. */
    static List<HostStats> read(List<String> lines) {
        List<HostStats> recap = playRecap(lines);
        return recap.isEmpty() ? jsonStats(String.join("\n", lines)) : recap;
    }

    static List<HostStats> playRecap(List<String> lines) {
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("PLAY RECAP")) {
                start = i;
            }
        }
        List<HostStats> hosts = new ArrayList<>();
        if (start < 0) {
            return hosts;
        }
        for (int i = start + 1; i < lines.size(); i++) {
            Matcher m = LINE.matcher(lines.get(i).strip());
            if (!m.matches()) {
                if (!lines.get(i).isBlank()) {
                    break;
                }
                continue;
            }
            Map<String, Integer> counts = new java.util.HashMap<>();
            Matcher c = COUNT.matcher(m.group(2));
            while (c.find()) {
                counts.put(c.group(1), Integer.parseInt(c.group(2)));
            }
            hosts.add(new HostStats(m.group(1), counts.getOrDefault("ok", 0), counts.getOrDefault("changed", 0),
                    counts.getOrDefault("unreachable", 0), counts.getOrDefault("failed", 0),
                    counts.getOrDefault("skipped", 0), counts.getOrDefault("rescued", 0), counts.getOrDefault("ignored", 0)));
        }
        return hosts;
    }

    static List<HostStats> jsonStats(String text) {
        int at = text.lastIndexOf("\"stats\"");
        if (at < 0) {
            return List.of();
        }
        int brace = text.indexOf('{', at);
        if (brace < 0) {
            return List.of();
        }
        JsonNode stats;
        try {
            stats = JSON.readTree(text.substring(brace));
        } catch (IOException e) {
            return List.of();
        }
        List<HostStats> hosts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = stats.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            JsonNode s = h.getValue();
            hosts.add(new HostStats(h.getKey(), s.path("ok").asInt(), s.path("changed").asInt(), s.path("unreachable").asInt(),
                    s.path("failures").asInt(s.path("failed").asInt()), s.path("skipped").asInt(), s.path("rescued").asInt(),
                    s.path("ignored").asInt()));
        }
        return hosts;
    }

    /** "failed on web2, web3 (2 of 5 hosts); 3 ok", failed and unreachable hosts first. */
    static Optional<String> summary(List<HostStats> hosts) {
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        List<String> failed = hosts.stream().filter(h -> h.failed() > 0).map(HostStats::host).toList();
        List<String> unreachable = hosts.stream().filter(h -> h.unreachable() > 0 && h.failed() == 0).map(HostStats::host).toList();
        long ok = hosts.size() - failed.size() - unreachable.size();
        List<String> parts = new ArrayList<>();
        if (!failed.isEmpty()) {
            parts.add("failed on " + String.join(", ", failed) + " (" + failed.size() + " of " + hosts.size() + " hosts)");
        }
        if (!unreachable.isEmpty()) {
            parts.add("unreachable: " + String.join(", ", unreachable) + " (" + unreachable.size() + " of " + hosts.size() + " hosts)");
        }
        int changed = hosts.stream().mapToInt(HostStats::changed).sum();
        parts.add(ok + " ok" + (failed.isEmpty() && unreachable.isEmpty() ? ", " + changed + " changed" : ""));
        return Optional.of(parts.stream().collect(Collectors.joining("; ")));
    }
}
