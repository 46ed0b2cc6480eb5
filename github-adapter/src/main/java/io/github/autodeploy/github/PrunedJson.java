package io.github.autodeploy.github;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a JSON document in one streaming pass into a tree that holds only the given dotted paths (each kept
 * whole, as {@link ObjectMapper#readTree} would build it) and the objects leading to them; every other value is
 * skipped without being built. The whole document is still tokenized, so it is refused exactly when a full
 * {@code readTree} would refuse it, and what {@link PayloadFields} finds at a kept path is what it would find in
 * the full tree (a repeated name: the last one wins; an empty document: a missing node). Immutable and
 * thread-safe.
 */
final class PrunedJson {
    private final ObjectMapper mapper;
    private final Fields root;

    private PrunedJson(ObjectMapper mapper, Fields root) {
        this.mapper = mapper;
        this.root = root;
    }

    /** A reader keeping {@code paths} ({@code deployment.creator.login}): each path's value whole. */
    static PrunedJson keeping(ObjectMapper mapper, String... paths) {
        Fields root = new Fields();
        for (String path : paths) {
            Fields f = root;
            for (String part : path.split("\\.")) {
                f = f.children.computeIfAbsent(part, k -> new Fields());
            }
            f.whole = true;
        }
        return new PrunedJson(mapper, root);
    }

    /**
     * The kept part of {@code json}'s first value; {@link MissingNode} when there is none.
     *
     * @throws IOException (a Jackson exception) when the document is not valid JSON
     */
    JsonNode read(byte[] json) throws IOException {
        try (JsonParser p = mapper.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return MissingNode.getInstance();
            }
            return t == JsonToken.START_OBJECT ? object(p, root) : mapper.readTree(p);
        }
    }

    private ObjectNode object(JsonParser p, Fields fields) throws IOException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken value = p.nextToken();
            Fields wanted = fields.children.get(name);
            if (wanted == null) {
                p.skipChildren();
            } else if (!wanted.whole && value == JsonToken.START_OBJECT) {
                node.set(name, object(p, wanted));
            } else {
                node.set(name, value(p, value));
            }
        }
        return node;
    }

    /** The value at the parser, as the full tree would hold it; the common scalars without the mapper. */
    private JsonNode value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default -> mapper.readTree(p);
        };
    }

    /** The wanted names below one object; {@code whole} when the value at this path is kept entire. */
    private static final class Fields {
        final Map<String, Fields> children = new HashMap<>();
        boolean whole;
    }
}
