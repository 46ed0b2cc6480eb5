package io.github.autodeploy.core.control;

import io.github.autodeploy.core.model.InvalidValueException;
import java.util.Objects;

/**
 * Who did something the robot records: a named user of the configuration with their role, or the
 * robot itself. The name is shown in a deployment's history, on the pages and in Slack.
 *
 * @param name a configured user's name (1 to 64 letters, digits, {@code . _ - @ +}, so an e-mail address
 *             serves), or {@code autodeploy}
 * @param role what the user may do
 */
public record Actor(String name, Role role) {
    /** The robot acting on its own (a window opening, a lock expiring). */
    public static final Actor ROBOT = new Actor("autodeploy", Role.ADMIN);

    public Actor {
        InvalidValueException.requireNonNull(name, "user name");
        Objects.requireNonNull(role, "role");
        if (!validName(name)) {
            throw new InvalidValueException("user name " + InvalidValueException.quote(name)
                    + " is not valid: use 1 to 64 letters, digits, '.', '_', '-', '@' or '+'");
        }
    }

    /** Whether {@code name} may name a user: 1 to 64 of {@code A-Z a-z 0-9 . _ - @ +}. */
    public static boolean validName(String name) {
        if (name == null || name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '@' || c == '+';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether this actor's role includes {@code needed}. */
    public boolean may(Role needed) {
        return role.allows(needed);
    }

    @Override
    public String toString() {
        return name;
    }
}
