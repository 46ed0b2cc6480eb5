package io.github.autodeploy.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.config.ConfigFile;
import io.github.autodeploy.config.ConfigFileException;
import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.core.plan.ExecutionPlanner;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Loads the robot's configuration from the {@code autodeploy} subtree of Spring's environment
 * through the project's own loader ({@link ConfigFile}), so that {@code application.yml} has the keys
 * and meanings of {@code autodeploy.yml}: {@code ${NAME}} and {@code ${NAME:-default}} in a value are
 * read from Spring's environment (environment variables, system properties, other properties), and
 * every problem is reported at once, as {@code autodeploy.<key path>: <what to do>}. Stateless and
 * thread-safe.
 */
final class EnvironmentConfig {
    static final String SOURCE = "autodeploy.* of the Spring environment";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EnvironmentConfig() {
    }

    /**
     * The configuration of {@code env}, validated with the execution kinds {@code planners} provide
     * besides commands.
     *
     * @throws AutodeployConfigurationException listing every problem
     */
    static LoadedConfig load(ConfigurableEnvironment env, List<? extends ExecutionPlanner> planners) {
        Map<String, Object> tree = EnvironmentTree.read(env);
        String text;
        try {
            // Pretty-printed so that every key has a line of its own: the loader then finds each key it reports.
            text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of maps, lists and values always serializes", e);
        }
        try {
            return ConfigFile.parse(SOURCE, text, true, variables(env), planners);
        } catch (ConfigFileException e) {
            throw new AutodeployConfigurationException(e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s")
                    + " in " + SOURCE + ":\n" + e.problems().stream().map(p -> "  " + shown(env, p)).collect(Collectors.joining("\n")),
                    e.problems().stream().map(p -> shown(env, p)).toList());
        }
    }

    /** A problem as a Spring user finds it: the property's full name, and where it was set when Spring knows. */
    private static String shown(ConfigurableEnvironment env, ConfigFileException.Problem p) {
        if (p.path().isEmpty()) {
            return EnvironmentTree.PREFIX + ": " + p.message();
        }
        String name = EnvironmentTree.PREFIX + "." + p.path();
        String origin = EnvironmentTree.origin(env, name);
        // The loader says a section is "missing from the file": here there is no file, only properties.
        String message = p.message().replace("missing from the file", "not set");
        return name + ": " + message + (origin.isEmpty() ? "" : " (" + origin + ")");
    }

    /** {@code ${NAME}} in a value reads Spring's environment: variables of the process, system properties, any property. */
    static Map<String, String> variables(ConfigurableEnvironment env) {
        return new AbstractMap<>() {
            @Override
            public String get(Object key) {
                return key instanceof String name ? env.getProperty(name) : null;
            }

            @Override
            public boolean containsKey(Object key) {
                return get(key) != null;
            }

            @Override
            public Set<Entry<String, String>> entrySet() {
                return Set.of(); // only looked up by name, never listed
            }
        };
    }
}
