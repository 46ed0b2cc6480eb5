package io.github.autodeploy.core.control;

import io.github.autodeploy.core.model.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a deployment's payload says about how it may pass a lock or a closed deploy window, read from
 * its {@code autodeploy} object: {@code request} marks a deployment the robot created for a merge or
 * push (an auto-deploy, which waits); {@code force} with a {@code reason} deploys past a lock or
 * outside a window; {@code by} names the robot's user who asked for a redeploy or rollback, which
 * the robot creates forced; {@code rollback_of} the deployment rolled back to. A payload that is not
 * a JSON object, or has no such object, is a plain deployment made elsewhere. Immutable.
 *
 * @param auto      created by the robot for a merge or push
 * @param forced    asked to deploy past a lock or outside a window
 * @param reason    why it was forced or rolled back; empty when not given
 * @param by        the robot's user who asked for it (redeploy, rollback); empty for a deployment made elsewhere
 * @param rollbackOf the deployment whose commit a rollback deploys again
 * @param request   the request id the robot marked it with; empty for a deployment made elsewhere
 * @param seal      the robot's seal over what a user asked for ({@link #sealedText}): {@code by} is
 *                  believed only when the seal verifies, since anyone who may create deployments can
 *                  write a payload
 */
public record DeploymentIntent(boolean auto, boolean forced, String reason, Optional<String> by, Optional<Long> rollbackOf,
                               String request, String seal) {
    private static final DeploymentIntent PLAIN = new DeploymentIntent(false, false, "", Optional.empty(), Optional.empty(),
            "", "");
    /** Payloads larger than this are not read for an intent (they are plain deployments). */
    private static final int MAX_READ = 1 << 20;

    public DeploymentIntent {
        reason = EnvironmentLock.cleanReason(reason);
        by = by.filter(Actor::validName);
        java.util.Objects.requireNonNull(request, "request");
        java.util.Objects.requireNonNull(seal, "seal");
    }

    /**
     * The text the robot seals for a deployment it creates for a user: repository, environment, sha,
     * user, reason, rolled-back deployment and request id, one per line.
     */
    public static String sealedText(io.github.autodeploy.core.model.RepositoryName repository,
                                    io.github.autodeploy.core.model.EnvironmentName environment,
                                    io.github.autodeploy.core.model.CommitSha sha, String by, String reason, long rollbackOf,
                                    String request) {
        return String.join("\n", repository.fullName(), environment.value(), sha.value(), by, reason,
                Long.toString(rollbackOf), request);
    }

    /** The sealed text for this intent of {@code d}. */
    public String sealedText(Deployment d) {
        return sealedText(d.repository(), d.environment(), d.sha(), by.orElse(""), reason, rollbackOf.orElse(0L), request);
    }

    /** This intent as a deployment made elsewhere (its auto-deploy mark carries no valid seal). */
    public DeploymentIntent notAuto() {
        return new DeploymentIntent(false, forced, reason, by, rollbackOf, request, seal);
    }

    /** This intent without the user it names (whose seal did not verify): a plain, perhaps forced, deployment. */
    public DeploymentIntent withoutUser() {
        return new DeploymentIntent(auto, forced, reason, Optional.empty(), rollbackOf, request, "");
    }

    /** The intent of a deployment, from its payload. */
    public static DeploymentIntent of(Deployment deployment) {
        return ofPayload(deployment.payloadJson());
    }

    /** The intent a payload's JSON text states; plain when it states none or is not JSON. */
    public static DeploymentIntent ofPayload(String json) {
        if (json.length() > MAX_READ || json.indexOf("\"autodeploy\"") < 0) {
            return PLAIN;
        }
        Object root;
        try {
            root = new Reader(json).document();
        } catch (IllegalArgumentException e) {
            return PLAIN;
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("autodeploy") instanceof Map<?, ?> ours)) {
            return PLAIN;
        }
        boolean auto = ours.get("request") instanceof String request && !request.isBlank() && !(ours.get("by") instanceof String);
        boolean forced = Boolean.TRUE.equals(ours.get("force"));
        String reason = ours.get("reason") instanceof String r ? r : "";
        Optional<String> by = ours.get("by") instanceof String b ? Optional.of(b) : Optional.empty();
        Optional<Long> of = ours.get("rollback_of") instanceof Double n && n == Math.rint(n) && n > 0 && n < 9.0e15
                ? Optional.of(n.longValue()) : Optional.empty();
        String request = ours.get("request") instanceof String r ? r : "";
        String seal = ours.get("seal") instanceof String t ? t : "";
        return new DeploymentIntent(auto, forced, reason, by, of, request, seal);
    }

    /** Whether a user of the robot asked for it (a redeploy or rollback from the pages, the API or the CLI). */
    public boolean byUser() {
        return by.isPresent();
    }

    /** Who to name for it: the robot's user, else {@code fallback} (the deployment's GitHub requester). */
    public String who(String fallback) {
        return by.orElse(fallback);
    }

    /**
     * A strict reader of JSON text into maps, lists, strings, doubles, booleans and null, with a depth
     * limit; throws {@link IllegalArgumentException} on anything else. Not thread-safe (one per text).
     */
    private static final class Reader {
        private static final int MAX_DEPTH = 64;
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        Object document() {
            Object v = value(0);
            blanks();
            if (i != s.length()) {
                throw new IllegalArgumentException("text after the value");
            }
            return v;
        }

        private Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("nested too deep");
            }
            blanks();
            if (i >= s.length()) {
                throw new IllegalArgumentException("no value");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{': return object(depth);
                case '[': return array(depth);
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default: return number();
            }
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> out = new LinkedHashMap<>();
            i++;
            blanks();
            if (peek() == '}') {
                i++;
                return out;
            }
            while (true) {
                blanks();
                if (peek() != '"') {
                    throw new IllegalArgumentException("expected a key");
                }
                String key = string();
                blanks();
                expect(':');
                out.put(key, value(depth + 1));
                blanks();
                char c = next();
                if (c == '}') {
                    return out;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or }");
                }
            }
        }

        private java.util.List<Object> array(int depth) {
            java.util.List<Object> out = new java.util.ArrayList<>();
            i++;
            blanks();
            if (peek() == ']') {
                i++;
                return out;
            }
            while (true) {
                out.add(value(depth + 1));
                blanks();
                char c = next();
                if (c == ']') {
                    return out;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or ]");
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in a string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException bad) {
                            throw new IllegalArgumentException("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape");
                }
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) {
                throw new IllegalArgumentException("bad literal");
            }
            i += word.length();
            return v;
        }

        private Double number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i || i - start > 40) {
                throw new IllegalArgumentException("bad number");
            }
            try {
                return Double.valueOf(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number");
            }
        }

        private void blanks() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
                i++;
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c);
            }
        }
    }
}
