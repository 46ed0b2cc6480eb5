package io.github.autodeploy.core.engine;

import java.util.OptionalInt;

/**
 * What {@link Autodeploy#health()} found: whether the robot can take and run work now, and why not.
 * Holds no secret and no URL, so a host may show it to anyone. Immutable.
 *
 * @param storeReachable          the store answered a ping within its timeout
 * @param recovered               {@link Autodeploy#start()} ran and recovery of what an earlier run left is done
 * @param draining                {@link Autodeploy#close()} has begun: no new work is taken
 * @param queued                  deployments waiting in lanes, over all lanes
 * @param githubRateLimitRemaining calls GitHub still allows before its rate limit, as last answered; empty when no call told yet
 */
public record Health(boolean storeReachable, boolean recovered, boolean draining, int queued,
                     OptionalInt githubRateLimitRemaining) {
    public Health {
        if (queued < 0) {
            throw new IllegalArgumentException("queued must not be negative: " + queued);
        }
        if (githubRateLimitRemaining == null) {
            throw new IllegalArgumentException("githubRateLimitRemaining must be OptionalInt.empty(), not null");
        }
    }

    /** Ready for work: the store is reachable, recovery is done, and the robot is not shutting down. */
    public boolean ready() {
        return storeReachable && recovered && !draining;
    }
}
