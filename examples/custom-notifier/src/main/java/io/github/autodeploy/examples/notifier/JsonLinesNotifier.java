package io.github.autodeploy.examples.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.Notifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An example adapter: a {@link Notifier} that appends one JSON line per deployment event to a file,
 * for a log shipper or an audit trail. A notifier must return quickly and be thread-safe; appending a
 * short line is quick, so this one writes on the caller's thread under a lock. What it throws is
 * logged by the engine and never changes a deployment.
 */
public final class JsonLinesNotifier implements Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public JsonLinesNotifier(Path file) {
        this.file = file;
    }

    @Override
    public void notify(Notice n) {
        ObjectNode line = JSON.createObjectNode();
        line.put("event", n.kind().configWord());
        line.put("repository", n.repository().fullName());
        line.put("environment", n.environment().value());
        n.sha().ifPresent(sha -> line.put("sha", sha.value()));
        line.put("ref", n.ref());
        n.deploymentId().ifPresent(id -> line.put("deployment", id.value()));
        n.requester().ifPresent(r -> line.put("requester", r.login()));
        n.actor().ifPresent(a -> line.put("by", a));
        line.put("description", n.description());
        n.logUrl().ifPresent(url -> line.put("log", url));
        n.duration().ifPresent(d -> line.put("seconds", d.toSeconds()));
        try {
            byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new AutodeployException("could not append to " + file + ": " + e.getMessage(), e);
        }
    }
}
