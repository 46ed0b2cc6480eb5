package io.github.autodeploy.core.model;

import java.time.Duration;

/** Writes a duration the way people read it in a status or a page: {@code 850 ms}, {@code 12s}, {@code 3m 5s}, {@code 1h 2m}. */
public final class HumanDuration {
    private HumanDuration() {
    }

    public static String format(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : " " + (s % 60) + "s");
        }
        return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + "m");
    }
}
