package io.github.autodeploy.examples.notifier;

import io.github.autodeploy.config.ConfigFile;
import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.config.RobotWiring;
import java.nio.file.Path;

/**
 * Wiring your own adapter in code: load the configuration, then replace the notifier before the
 * robot is built. The same hook replaces any port (a database-backed store, your own runner).
 */
public final class Main {
    private Main() {
    }

    /** Builds a robot that writes its events to {@code events.jsonl}; serve it with the servlet adapter. */
    public static RobotWiring.Wired wire(Path config, Path events) {
        LoadedConfig loaded = ConfigFile.load(config, System.getenv());
        return RobotWiring.wire(loaded, robot -> robot.notifier(new JsonLinesNotifier(events)));
    }

    public static void main(String[] args) {
        try (RobotWiring.Wired wired = wire(Path.of(args[0]), Path.of(args.length > 1 ? args[1] : "events.jsonl"))) {
            wired.robot().start();
            System.out.println("wired: " + wired.robot().config().rules().size() + " rule(s), events go to "
                    + (args.length > 1 ? args[1] : "events.jsonl"));
        }
    }
}
