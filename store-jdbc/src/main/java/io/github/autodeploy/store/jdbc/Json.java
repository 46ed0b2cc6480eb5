package io.github.autodeploy.store.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.lifecycle.StatusUpdate;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.store.StepRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON columns of a deployment (its status history and its steps), written field by field so
 * that the stored form stays the same when core's records change. Thread-safe.
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String history(List<StatusUpdate> history) {
        return array(64 + 96 * history.size(), g -> {
            for (StatusUpdate u : history) {
                g.writeStartObject();
                g.writeStringField("state", u.state().name());
                g.writeStringField("description", u.description());
                g.writeStringField("at", u.at().toString());
                g.writeEndObject();
            }
        });
    }

    /** What writes an array's elements. */
    private interface Elements {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * A JSON array written straight to a generator: a tree of nodes first, then its serialisation, cost about
     * twice as much on the webhook thread, for the same text.
     */
    private static String array(int capacity, Elements elements) {
        StringWriter out = new StringWriter(capacity);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartArray();
            elements.write(g);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    static List<StatusUpdate> history(String json) {
        List<StatusUpdate> out = new ArrayList<>();
        for (JsonNode o : parse(json, "history")) {
            out.add(new StatusUpdate(state(text(o, "state")), text(o, "description"), Instant.parse(text(o, "at"))));
        }
        return out;
    }

    static String steps(List<StepRecord> steps) {
        if (steps.isEmpty()) {
            return "[]";
        }
        return array(64 + 128 * steps.size(), g -> {
            for (StepRecord s : steps) {
                g.writeStartObject();
                g.writeStringField("name", s.name());
                g.writeStringField("outcome", s.result().outcome().name());
                g.writeNumberField("exit_code", s.result().exitCode());
                g.writeStringField("duration", s.result().duration().toString());
                g.writeStringField("message", s.result().message());
                g.writeEndObject();
            }
        });
    }

    static List<StepRecord> steps(String json) {
        List<StepRecord> out = new ArrayList<>();
        for (JsonNode o : parse(json, "steps")) {
            StepResult result = new StepResult(outcome(text(o, "outcome")), o.path("exit_code").asInt(-1),
                    Duration.parse(text(o, "duration")), text(o, "message"));
            out.add(new StepRecord(text(o, "name"), result));
        }
        return out;
    }

    static DeploymentState state(String name) {
        try {
            return DeploymentState.valueOf(name);
        } catch (IllegalArgumentException e) {
            return DeploymentState.UNKNOWN;
        }
    }

    private static StepResult.Outcome outcome(String name) {
        try {
            return StepResult.Outcome.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new AutodeployException("stored step outcome \"" + name + "\" is unknown to this version of Autodeploy", e);
        }
    }

    private static JsonNode parse(String json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (!node.isArray()) {
                throw new AutodeployException("stored " + what + " is not a JSON array");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new AutodeployException("stored " + what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new AutodeployException("stored entry lacks the text field \"" + field + "\": " + o);
        }
        return v.asText();
    }
}
