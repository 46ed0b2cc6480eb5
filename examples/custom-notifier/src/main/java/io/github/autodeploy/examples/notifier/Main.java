package io.github.autodeploy.examples.notifier;

import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.config.LoadedConfig;
import java.nio.file.Path;

/**
 * Wiring your own adapter in code: load the configuration, then replace the notifier before the
 * robot is built. The same hook replaces any port (a database-backed store, your own runner).
 */
public final class Main {
    private Main() {
    }

    /** Builds a robot that writes its events to {@code events.jsonl}; serve it with the servlet adapter. */
    public static RobotAssembly.Assembled wire(Path config, Path events) {
        LoadedConfig loaded = RobotAssembly.load(config, System.getenv());
        return RobotAssembly.assemble(loaded, robot -> robot.notifier(new JsonLinesNotifier(events)));
    }

    public static void main(String[] args) {
        try (RobotAssembly.Assembled wired = wire(Path.of(args[0]), Path.of(args.length > 1 ? args[1] : "events.jsonl"))) {
            wired.robot().start();
            System.out.println("wired: " + wired.robot().config().rules().size() + " rule(s), events go to "
                    + (args.length > 1 ? args[1] : "events.jsonl"));
        }
    }
}
