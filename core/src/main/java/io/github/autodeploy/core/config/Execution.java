package io.github.autodeploy.core.config;

import java.util.List;
import java.util.Map;

/** What a rule runs: a list of commands, or an Ansible playbook (planned by the ansible adapter). */
public sealed interface Execution {

    /** Commands run one after the other; each an argv list that may hold placeholders. */
    record Commands(List<List<String>> commands) implements Execution {
        public Commands {
            commands = commands.stream().map(List::copyOf).toList();
        }
    }

    /**
     * {@code ansible-playbook -i inventory playbook}, with the other {@code ansible_*} keys (without
     * their prefix) as options for the planner.
     */
    record Playbook(String inventory, String playbook, Map<String, String> options) implements Execution {
        public Playbook {
            options = Map.copyOf(options);
        }
    }
}
