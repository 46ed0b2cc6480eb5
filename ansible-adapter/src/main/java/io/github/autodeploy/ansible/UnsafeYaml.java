package io.github.autodeploy.ansible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree as a YAML vars file in which every string, key or value, is tagged {@code !unsafe}: Ansible then
 * never evaluates Jinja in them, so values that come from a webhook stay data. Strings are written as
 * JSON string literals, which YAML reads as double-quoted scalars. Stateless.
 */
final class UnsafeYaml {
    private UnsafeYaml() {
    }

    static String write(JsonNode vars) {
        StringBuilder out = new StringBuilder("---\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.append(key(e.getKey())).append(": ");
            value(e.getValue(), out);
            out.append('\n');
        }
        return out.toString();
    }

    private static void value(JsonNode n, StringBuilder out) {
        if (n.isTextual()) {
            out.append("!unsafe ").append(quoted(n.asText()));
        } else if (n.isObject()) {
            out.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.append(first ? "" : ", ").append(key(e.getKey())).append(": ");
                value(e.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (n.isArray()) {
            out.append('[');
            for (int i = 0; i < n.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                value(n.get(i), out);
            }
            out.append(']');
        } else {
            out.append(n.isNull() || n.isMissingNode() ? "null" : n.toString());
        }
    }

    /**
     * Keys are tagged too: a payload's keys are as much the sender's text as its values, and a
     * playbook that loops over a dict ({@code dict2items}) or copies a key into a fact templates it.
     */
    private static String key(String k) {
        return "!unsafe " + quoted(k);
    }

    private static String quoted(String s) {
        // Jackson's JSON string encoding; \\u escapes for control characters are valid in YAML too.
        return JsonNodeFactory.instance.textNode(s).toString();
    }
}
