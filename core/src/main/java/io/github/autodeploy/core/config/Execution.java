package io.github.autodeploy.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rule runs: core's own list of commands, or a kind that a planner outside core plans from
 * the rule's keys that core does not know. Immutable.
 */
public sealed interface Execution {

    /** The kind of execution, matched against {@link ExecutionKind#kind()} to find its planner. */
    String kind();

    /**
     * Commands run one after the other; each an argv list that may hold placeholders.
     *
     * @param names each command as written, before values from the environment were put in (the
     *              name of its step, so that such a value never shows in one); empty: each argv joined
     */
    record Commands(List<List<String>> commands, List<String> names) implements Execution {
        /** The kind of {@code commands}, planned by core. */
        public static final String KIND = "commands";

        public Commands {
            commands = commands.stream().map(List::copyOf).toList();
            names = names.isEmpty() ? commands.stream().map(c -> String.join(" ", c)).toList() : List.copyOf(names);
            if (names.size() != commands.size()) {
                throw new IllegalArgumentException("give one name per command: " + names.size() + " names for "
                        + commands.size() + " commands");
            }
        }

        /** Commands named by their argv. */
        public Commands(List<List<String>> commands) {
            this(commands, List.of());
        }

        @Override
        public String kind() {
            return KIND;
        }
    }

    /**
     * A kind planned outside core.
     *
     * @param kind    the {@link ExecutionKind#kind()} that claimed the options
     * @param options the rule's keys that the kind claims, with their values as written (inherited
     *                from the repository's entry where an environment does not set them)
     */
    record Planned(String kind, Map<String, Object> options) implements Execution {
        public Planned {
            Objects.requireNonNull(kind, "kind");
            if (kind.isBlank() || kind.equals(Commands.KIND)) {
                throw new IllegalArgumentException("an execution kind needs a name other than \"" + kind + "\"");
            }
            options = Map.copyOf(options);
        }
    }
}
