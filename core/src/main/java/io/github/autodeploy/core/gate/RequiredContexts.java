package io.github.autodeploy.core.gate;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which CI contexts must pass before a commit is deployed. {@link #all()} (the rule has no {@code
 * required_contexts} key) means every context GitHub knows for the commit; {@link #none()} (an
 * explicit empty list) means no gate; otherwise exactly the named contexts, matched by name.
 */
public record RequiredContexts(Optional<List<String>> names) {

    public RequiredContexts {
        Objects.requireNonNull(names, "names");
        names = names.map(List::copyOf);
    }

    public static RequiredContexts all() {
        return new RequiredContexts(Optional.empty());
    }

    public static RequiredContexts none() {
        return new RequiredContexts(Optional.of(List.of()));
    }

    public static RequiredContexts of(List<String> names) {
        return new RequiredContexts(Optional.of(names));
    }

    public boolean isAll() {
        return names.isEmpty();
    }

    public boolean isNone() {
        return names.isPresent() && names.get().isEmpty();
    }
}
