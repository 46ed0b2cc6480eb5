package io.github.autodeploy.core.plan;

import io.github.autodeploy.core.model.Deployment;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The values of a deployment that steps may see: placeholder values for argv, and {@code
 * AUTODEPLOY_*} environment variables. Planners of every kind use it, so commands and playbooks see
 * the same names. Thread-safe.
 */
public final class DeploymentVariables {
    /** The environment variable holding the payload JSON. */
    public static final String PAYLOAD_ENV = "AUTODEPLOY_PAYLOAD";
    /** The environment variable holding the path of a file with the payload JSON. */
    public static final String PAYLOAD_FILE_ENV = "AUTODEPLOY_PAYLOAD_FILE";
    /**
     * A payload larger than this (in UTF-8 bytes) is only in the file: Linux refuses to start a
     * process with one environment value over 128 KiB, so a bigger one would fail every step.
     */
    public static final int MAX_PAYLOAD_ENV_BYTES = 64 * 1024;

    private DeploymentVariables() {
    }

    /** Placeholder name to value; the payload is deliberately not among them. */
    public static Map<String, String> placeholderValues(Deployment d) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("sha", d.sha().value());
        values.put("ref", d.ref().value());
        values.put("environment", d.environment().value());
        values.put("repository", d.repository().fullName());
        values.put("deployment_id", d.id().toString());
        values.put("requester", d.requester().login());
        values.put("task", d.task());
        return values;
    }

    /**
     * {@code AUTODEPLOY_SHA}, {@code AUTODEPLOY_REF}, ... plus the payload (unless it is larger than
     * {@link #MAX_PAYLOAD_ENV_BYTES}) and its file's path.
     */
    public static Map<String, String> environment(Deployment d, String payloadFile) {
        Map<String, String> env = new LinkedHashMap<>();
        placeholderValues(d).forEach((k, v) -> env.put("AUTODEPLOY_" + k.toUpperCase(Locale.ROOT), v));
        if (d.payloadJson().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_PAYLOAD_ENV_BYTES) {
            env.put(PAYLOAD_ENV, d.payloadJson());
        }
        env.put(PAYLOAD_FILE_ENV, payloadFile);
        return env;
    }
}
