package io.github.autodeploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.autodeploy.core.model.InvalidValueException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/** Reads fields of a GitHub payload by path, failing with the path and the reason. Stateless. */
final class PayloadFields {
    private PayloadFields() {
    }

    static JsonNode at(JsonNode root, String path) {
        // Walked with indexOf rather than split: this runs for every field of every delivery.
        JsonNode n = root;
        int start = 0;
        while (n != null) {
            int dot = path.indexOf('.', start);
            n = n.get(dot < 0 ? path.substring(start) : path.substring(start, dot));
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        return n == null || n.isMissingNode() ? null : n;
    }

    static Optional<String> text(JsonNode root, String path) {
        JsonNode n = at(root, path);
        return n == null || n.isNull() || !n.isValueNode() ? Optional.empty() : Optional.of(n.asText());
    }

    static String required(JsonNode root, String path) {
        return text(root, path).orElseThrow(() -> malformed(path + " is missing"));
    }

    static <T> T required(JsonNode root, String path, Function<String, T> type) {
        return as(path, required(root, path), type);
    }

    static <T> Optional<T> optional(JsonNode root, String path, Function<String, T> type) {
        return text(root, path).map(v -> as(path, v, type));
    }

    static boolean flag(JsonNode root, String path) {
        JsonNode n = at(root, path);
        return n != null && n.asBoolean(false);
    }

    static long number(JsonNode root, String path) {
        JsonNode n = at(root, path);
        if (n == null || !n.canConvertToLong()) {
            throw malformed(path + " is missing or not a number");
        }
        return n.asLong();
    }

    /** A positive whole number that may be absent (or null); anything else present is malformed. */
    static OptionalLong positiveId(JsonNode root, String path) {
        JsonNode n = at(root, path);
        if (n == null || n.isNull()) {
            return OptionalLong.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() <= 0) {
            throw malformed(path + " is not a positive number");
        }
        return OptionalLong.of(n.asLong());
    }

    /** {@code value} with control characters shown as {@code ?} and cut to 100 characters, for a message. */
    static String printable(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** A timestamp, or the epoch when GitHub left it out (old payloads). */
    static Instant time(JsonNode root, String path) {
        Optional<String> t = text(root, path);
        if (t.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(t.get());
        } catch (DateTimeParseException e) {
            throw malformed(path + " is not an ISO-8601 time");
        }
    }

    static <T> T as(String path, String value, Function<String, T> type) {
        try {
            return type.apply(value);
        } catch (InvalidValueException e) {
            throw malformed(path + ": " + e.getMessage());
        }
    }

    static WebhookParseException malformed(String message) {
        return new WebhookParseException(WebhookParseException.Kind.MALFORMED, message);
    }
}
