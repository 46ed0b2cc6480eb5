package io.github.autodeploy.testkit;

import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.core.port.UnfinishedDeployment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link DeploymentApi} for tests, GitHub's deployments API in memory: creates deployments with
 * increasing ids, keeps their statuses, finds a deployment by its request, and can be told to answer a
 * create differently (or lose its answer after creating), fail the next posts or hold them. Thread-safe.
 */
public final class FakeDeploymentApi implements DeploymentApi {
    private long nextId = 1000;
    private final Map<DeploymentId, Deployment> deployments = new LinkedHashMap<>();
    private final Map<DeploymentId, List<StatusPost>> statuses = new LinkedHashMap<>();
    private final List<NewDeployment> created = new ArrayList<>();
    private final Map<DeploymentId, NewDeployment> requests = new LinkedHashMap<>();
    private int lostAnswers;
    private int finds;
    private final Deque<CreateResult> createAnswers = new ArrayDeque<>();
    private final Deque<RuntimeException> postFailures = new ArrayDeque<>();
    private int postAttempts;
    private boolean held;
    private volatile java.util.OptionalInt rateLimitRemaining = java.util.OptionalInt.empty();

    @Override
    public synchronized CreateResult create(NewDeployment request) {
        created.add(request);
        CreateResult scripted = createAnswers.pollFirst();
        if (scripted != null && !(scripted instanceof CreateResult.Created)) {
            return scripted;
        }
        DeploymentId id = DeploymentId.of(nextId++);
        deployments.put(id, new Deployment(request.repository(), id, request.sha(), GitRef.of(request.sha().value()),
                request.environment(), request.task(), request.requester(), JsonText.of(request.payload()), request.description()));
        requests.put(id, request);
        if (lostAnswers > 0) {
            lostAnswers--;
            return new CreateResult.OutcomeUnknown("POST /deployments failed: connection reset after the request was sent");
        }
        return new CreateResult.Created(id);
    }

    @Override
    public synchronized Optional<DeploymentId> find(NewDeployment request) {
        finds++;
        return requests.entrySet().stream()
                .filter(e -> e.getValue().repository().equals(request.repository()) && e.getValue().sha().equals(request.sha())
                        && e.getValue().environment().equals(request.environment())
                        && e.getValue().payload().equals(request.payload()))
                .map(Map.Entry::getKey).findFirst();
    }

    @Override
    public synchronized void postStatus(RepositoryName repository, DeploymentId id, StatusPost status) {
        while (held) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException("interrupted", true);
            }
        }
        postAttempts++;
        RuntimeException failure = postFailures.pollFirst();
        if (failure != null) {
            throw failure;
        }
        Deployment d = deployments.get(id);
        if (d == null || !d.repository().equals(repository)) {
            throw new ApiException("deployment " + id + " of " + repository + " does not exist (404)", false);
        }
        statuses.computeIfAbsent(id, k -> new ArrayList<>()).add(status);
        notifyAll();
    }

    @Override
    public synchronized List<UnfinishedDeployment> listUnfinished(RepositoryName repository, EnvironmentName environment) {
        List<UnfinishedDeployment> out = new ArrayList<>();
        deployments.values().stream()
                .filter(d -> d.repository().equals(repository) && d.environment().equals(environment))
                .forEach(d -> {
                    List<StatusPost> s = statuses.getOrDefault(d.id(), List.of());
                    if (!s.isEmpty()) {
                        StatusPost last = s.get(s.size() - 1);
                        DeploymentState state = last.update().state();
                        if (state == DeploymentState.QUEUED || state == DeploymentState.IN_PROGRESS) {
                            out.add(new UnfinishedDeployment(d, state, Optional.of(last.logUrl())));
                        }
                    }
                });
        return out;
    }

    /** Makes a deployment exist, as when someone else created it on GitHub. */
    public synchronized void givenDeployment(Deployment d) {
        deployments.put(d.id(), d);
    }

    /** Makes a deployment exist with statuses already posted, as a previous run left it. */
    public synchronized void givenStatus(DeploymentId id, StatusPost post) {
        statuses.computeIfAbsent(id, k -> new ArrayList<>()).add(post);
    }

    /** The next create answers {@code result} instead of creating. */
    public synchronized void answerNextCreate(CreateResult result) {
        createAnswers.addLast(result);
    }

    /**
     * The next {@code n} creates make the deployment but answer {@link CreateResult.OutcomeUnknown}, as
     * when the connection breaks after GitHub received the request.
     */
    public synchronized void loseNextCreateAnswers(int n) {
        lostAnswers += n;
    }

    /** The next {@code n} status posts throw {@code failure}. */
    public synchronized void failNextPosts(int n, RuntimeException failure) {
        for (int i = 0; i < n; i++) {
            postFailures.addLast(failure);
        }
    }

    /** Status posts wait, as on a GitHub that hangs, until {@link #releasePosts()}. */
    public synchronized void holdPosts() {
        held = true;
    }

    public synchronized void releasePosts() {
        held = false;
        notifyAll();
    }

    public synchronized List<StatusPost> statuses(DeploymentId id) {
        return List.copyOf(statuses.getOrDefault(id, List.of()));
    }

    public synchronized List<DeploymentState> states(DeploymentId id) {
        return statuses(id).stream().map(s -> s.update().state()).toList();
    }

    /** Every create request received, including those answered otherwise than created. */
    public synchronized List<NewDeployment> created() {
        return List.copyOf(created);
    }

    /** Deployments that exist (created here or given), in creation order. */
    public synchronized List<Deployment> deployments() {
        return List.copyOf(deployments.values());
    }

    /** How many times {@link #find} was asked. */
    public synchronized int finds() {
        return finds;
    }

    public synchronized Optional<Deployment> deployment(DeploymentId id) {
        return Optional.ofNullable(deployments.get(id));
    }

    public synchronized int postAttempts() {
        return postAttempts;
    }

    /** Makes {@link #rateLimitRemaining()} say {@code remaining}, as GitHub's last answer would have. */
    public void rateLimitRemaining(int remaining) {
        this.rateLimitRemaining = java.util.OptionalInt.of(remaining);
    }

    @Override
    public java.util.OptionalInt rateLimitRemaining() {
        return rateLimitRemaining;
    }
}
