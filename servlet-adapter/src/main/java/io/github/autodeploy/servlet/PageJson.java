package io.github.autodeploy.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.control.EnvironmentLock;
import io.github.autodeploy.core.engine.EnvironmentView;
import io.github.autodeploy.core.lifecycle.StatusUpdate;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.LogChunk;
import io.github.autodeploy.core.store.StepRecord;
import io.github.autodeploy.core.store.WaitingMerge;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The JSON API of the pages: the same facts as the HTML, masked for secrets. Thread-safe. */
final class PageJson {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Secrets secrets;
    private final Pages pages;

    PageJson(Secrets secrets, Pages pages) {
        this.secrets = secrets;
        this.pages = pages;
    }

    ArrayNode list(List<DeploymentRecord> records, Function<DeploymentRecord, String> link) {
        ArrayNode a = JSON.createArrayNode();
        records.forEach(r -> summary(a.addObject(), r).put("url", link.apply(r)));
        return a;
    }

    ObjectNode detail(DeploymentRecord r, LogChunk log) {
        ObjectNode o = summary(JSON.createObjectNode(), r);
        o.put("task", secrets.redact(r.deployment().task()));
        o.put("description", secrets.redact(r.deployment().description()));
        o.put("done", r.lifecycle().isTerminal());
        ArrayNode history = o.putArray("history");
        for (StatusUpdate u : r.lifecycle().history()) {
            history.addObject().put("state", u.state().apiValue()).put("description", secrets.redact(u.description()))
                    .put("at", u.at().toString());
        }
        ArrayNode steps = o.putArray("steps");
        for (StepRecord s : r.steps()) {
            steps.addObject().put("name", secrets.redact(s.name())).put("outcome", s.result().outcome().name().toLowerCase())
                    .put("exitCode", s.result().exitCode()).put("durationMillis", s.result().duration().toMillis())
                    .put("message", secrets.redact(s.result().message()));
        }
        ObjectNode l = o.putObject("log");
        l.put("firstLine", log.firstLine()).put("nextLine", log.nextLine());
        ArrayNode lines = l.putArray("lines");
        log.lines().forEach(line -> lines.add(secrets.redact(line)));
        return o;
    }

    /**
     * Every environment at a glance: deployed now, running, queued (held ones with their reason),
     * waiting for CI (with the contexts), lock and window.
     */
    ArrayNode environments(List<EnvironmentView> views, Function<DeploymentRecord, String> link) {
        ArrayNode a = JSON.createArrayNode();
        for (EnvironmentView v : views) {
            ObjectNode o = a.addObject();
            o.put("repository", v.repository().fullName());
            o.put("environment", secrets.redact(v.environment().value()));
            if (v.current().isPresent()) {
                summary(o.putObject("current"), v.current().get()).put("url", link.apply(v.current().get()));
            } else {
                o.putNull("current");
            }
            ArrayNode running = o.putArray("running");
            v.running().forEach(r -> summary(running.addObject(), r).put("url", link.apply(r)));
            ArrayNode queued = o.putArray("queued");
            for (DeploymentRecord r : v.queued()) {
                ObjectNode q = summary(queued.addObject(), r).put("url", link.apply(r));
                Optional<String> held = ControlPages.heldReason(r, v);
                q.put("held", held.isPresent());
                if (held.isPresent()) {
                    q.put("heldReason", secrets.redact(held.get()));
                } else {
                    q.putNull("heldReason");
                }
            }
            ArrayNode contexts = JSON.createArrayNode();
            v.ciContexts().forEach(c -> contexts.add(secrets.redact(c)));
            ArrayNode waiting = o.putArray("waitingForCi");
            for (WaitingMerge w : v.waitingForCi()) {
                ObjectNode x = waiting.addObject();
                x.put("sha", w.sha().value()).put("branch", secrets.redact(w.branch())).put("requester", w.requester().login())
                        .put("cause", secrets.redact(w.cause())).put("deadline", w.deadline().toString());
                x.set("contexts", contexts.deepCopy());
            }
            o.set("ciContexts", contexts);
            if (v.lock().isPresent()) {
                EnvironmentLock l = v.lock().get();
                ObjectNode lock = o.putObject("lock");
                lock.put("holder", l.holder()).put("reason", secrets.redact(l.reason())).put("since", l.since().toString());
                put(lock, "expires", l.expires());
                lock.put("description", secrets.redact(l.describe()));
            } else {
                o.putNull("lock");
            }
            ObjectNode window = o.putObject("window");
            window.put("description", secrets.redact(v.window())).put("open", v.closed().isEmpty());
            if (v.closed().isPresent()) {
                window.put("closed", secrets.redact(v.closed().get()));
            } else {
                window.putNull("closed");
            }
            put(window, "opensAt", v.opensAt());
        }
        return a;
    }

    private ObjectNode summary(ObjectNode o, DeploymentRecord r) {
        Deployment d = r.deployment();
        o.put("id", d.id().value());
        o.put("repository", d.repository().fullName());
        o.put("environment", secrets.redact(d.environment().value()));
        o.put("ref", secrets.redact(d.ref().value()));
        o.put("sha", d.sha().value());
        o.put("requester", d.requester().login());
        o.put("state", r.state().apiValue());
        o.put("stateWord", Pages.word(r.state()));
        o.put("queuedAt", r.queuedAt().toString());
        put(o, "startedAt", r.startedAt());
        put(o, "finishedAt", r.finishedAt());
        o.put("duration", pages.duration(r));
        return o;
    }

    private static void put(ObjectNode o, String field, Optional<Instant> at) {
        if (at.isPresent()) {
            o.put(field, at.get().toString());
        } else {
            o.putNull(field);
        }
    }
}
