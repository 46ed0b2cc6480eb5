package io.github.autodeploy.core.control;

/**
 * What a named user of the pages, the JSON API and the CLI may do. Each role includes the ones
 * before it: a viewer reads, a deployer also locks, unlocks, redeploys, rolls back and forces a
 * deployment past a lock or outside a window, an admin also steals another user's lock.
 */
public enum Role {
    VIEWER,
    DEPLOYER,
    ADMIN;

    /** Whether this role includes {@code needed}. */
    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role as written in the configuration: {@code viewer}, {@code deployer} or {@code admin}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
