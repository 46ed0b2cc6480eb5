package io.github.autodeploy.core.model;

/**
 * A GitHub deployment the robot is asked to run: which commit of which repository goes to which
 * environment, for whom.
 *
 * @param task        GitHub's {@code task} ({@code deploy} unless the creator said otherwise); 1 to 100
 *                    characters, no control character, not starting with '-'
 * @param payloadJson the deployment's {@code payload} as JSON text; {@code {}} when none. It reaches
 *                    commands only through an environment variable and a file, never argv.
 * @param description GitHub's optional description; empty when none
 */
public record Deployment(
        RepositoryName repository,
        DeploymentId id,
        CommitSha sha,
        GitRef ref,
        EnvironmentName environment,
        String task,
        Requester requester,
        String payloadJson,
        String description) {

    public Deployment {
        InvalidValueException.requireNonNull(repository, "repository");
        InvalidValueException.requireNonNull(id, "deployment id");
        InvalidValueException.requireNonNull(sha, "sha");
        InvalidValueException.requireNonNull(ref, "ref");
        InvalidValueException.requireNonNull(environment, "environment");
        InvalidValueException.requireNonNull(task, "task");
        InvalidValueException.requireNonNull(requester, "requester");
        InvalidValueException.requireNonNull(payloadJson, "payload");
        InvalidValueException.requireNonNull(description, "description");
        if (task.isEmpty() || task.length() > 100 || hasControlCharacter(task)) {
            throw new InvalidValueException("task " + InvalidValueException.quote(task)
                    + " must have 1 to 100 characters and no control characters");
        }
        if (task.startsWith("-")) {
            throw new InvalidValueException("task " + InvalidValueException.quote(task)
                    + " starts with '-', which a command would read as an option");
        }
        if (payloadJson.isBlank()) {
            payloadJson = "{}";
        }
    }

    /** The same deployment, attributed to {@code who}. */
    public Deployment requestedBy(Requester who) {
        return new Deployment(repository, id, sha, ref, environment, task, who, payloadJson, description);
    }

    /** A loop, not a stream: every delivery's deployment is checked. */
    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
