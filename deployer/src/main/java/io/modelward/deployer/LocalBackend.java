package io.modelward.deployer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: each replica is the inference runtime jar as a child process on a free loopback port, with
 * the deployment's internal token in its environment (never on its command line). A replica that dies is restarted
 * with a growing back-off; after {@code max-restarts} crashes in a row the deployment is FAILED, with the last lines
 * the runtime printed. Children end with the portal: on a normal stop they are stopped here, and if the portal is
 * killed they notice their parent is gone and exit.
 */
public final class LocalBackend implements DeploymentBackend, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalBackend.class);

    private final DeployerProperties.Local settings;
    private final Path workDir;
    private final Function<String, Path> artifactFile;
    private final Runnable onChange;
    private final Clock clock = Clock.systemUTC();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param artifactFile where the artifact store keeps the file with a SHA-256
     * @param onChange called when a replica becomes ready or dies, to reconcile at once
     */
    public LocalBackend(DeployerProperties.Local settings, Path workDir, Function<String, Path> artifactFile,
            Runnable onChange) {
        this.settings = settings;
        this.workDir = workDir;
        this.artifactFile = artifactFile;
        this.onChange = onChange;
    }

    @Override
    public DeploymentTarget target() {
        return DeploymentTarget.LOCAL;
    }

    @Override
    public Observation reconcile(DeploymentPlan plan) {
        DeploymentSpec spec = plan.spec();
        Group group = groups.computeIfAbsent(spec.name(), name -> new Group(name));
        synchronized (group) {
            if (group.runtime != null && !group.runtime.equals(plan.runtime())) {
                group.replicas.forEach(LocalReplica::stop);
                group.replicas.clear();
            }
            group.runtime = plan.runtime();
            group.replicas.removeIf(replica -> replica.exited() && !replica.stopping);
            if (plan.replicas() > 0 && !Files.isRegularFile(settings.runtimeJar())) {
                return new Observation(ObservedState.FAILED, 0, plan.replicas(), null, "The inference runtime jar "
                        + settings.runtimeJar().toAbsolutePath() + " is missing: build it (./mvnw -B -DskipTests package) "
                        + "or set modelward.deployer.local.runtime-jar.");
            }
            Instant now = clock.instant();
            for (LocalReplica replica : List.copyOf(group.replicas)) {
                if (!replica.ready && !replica.exited()
                        && Duration.between(replica.started, now).compareTo(settings.startTimeout()) > 0) {
                    replica.lastLines.add("(not ready after " + settings.startTimeout().toSeconds() + " s: stopped)");
                    replica.crashedStarting = true;
                    replica.process.destroyForcibly();
                }
            }
            while (group.replicas.size() > plan.replicas()) {
                LocalReplica extra = group.replicas.stream().filter(r -> !r.ready).findFirst()
                        .orElse(group.replicas.getLast());
                extra.stop();
                group.replicas.remove(extra);
            }
            boolean failed = group.crashes >= settings.maxRestarts();
            if (!failed && group.replicas.size() < plan.replicas() && !now.isBefore(group.nextStartAt)) {
                while (group.replicas.size() < plan.replicas()) {
                    group.replicas.add(start(group, spec, plan.runtime()));
                }
            }
            return observe(group, plan, failed);
        }
    }

    private Observation observe(Group group, DeploymentPlan plan, boolean failed) {
        List<LocalReplica> ready = group.replicas.stream().filter(r -> r.ready && !r.exited()).toList();
        String endpoint = ready.isEmpty() ? null : ready.getFirst().url().toString();
        int wanted = plan.replicas();
        if (failed) {
            return new Observation(ObservedState.FAILED, ready.size(), wanted, endpoint, "The runtime crashed "
                    + group.crashes + " times in a row; last output:\n" + String.join("\n", group.lastCrashLines));
        }
        if (wanted == 0) {
            return new Observation(ObservedState.SCALED_TO_ZERO, 0, 0, null, "No replicas run until the next request.");
        }
        String counts = ready.size() + " of " + wanted + " replica" + (wanted == 1 ? "" : "s") + " ready";
        if (ready.size() >= wanted) {
            return new Observation(ObservedState.READY, ready.size(), wanted, endpoint, counts + ".");
        }
        if (group.crashes > 0) {
            return new Observation(ready.isEmpty() ? ObservedState.PROGRESSING : ObservedState.DEGRADED, ready.size(),
                    wanted, endpoint, counts + "; restarting after crash " + group.crashes + " of "
                            + settings.maxRestarts() + ". Last output:\n" + String.join("\n", group.lastCrashLines));
        }
        return new Observation(ObservedState.PROGRESSING, ready.size(), wanted, endpoint, counts + ", starting.");
    }

    @Override
    public void delete(DeploymentSpec spec) {
        Group group = groups.remove(spec.name());
        if (group != null) {
            synchronized (group) {
                group.replicas.forEach(LocalReplica::stop);
                group.replicas.forEach(LocalReplica::awaitExit);
                group.replicas.clear();
                group.waiters.forEach(w -> w.completeExceptionally(new IllegalStateException("deployment deleted")));
            }
        }
    }

    @Override
    public List<URI> readyEndpoints(DeploymentSpec spec) {
        Group group = groups.get(spec.name());
        if (group == null) {
            return List.of();
        }
        synchronized (group) {
            return group.replicas.stream().filter(r -> r.ready && !r.exited()).map(LocalReplica::url).toList();
        }
    }

    @Override
    public CompletableFuture<Void> awaitReady(DeploymentSpec spec, Duration timeout) {
        Group group = groups.computeIfAbsent(spec.name(), name -> new Group(name));
        synchronized (group) {
            if (group.replicas.stream().anyMatch(r -> r.ready && !r.exited())) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> waiter = new CompletableFuture<Void>().orTimeout(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            group.waiters.add(waiter);
            return waiter;
        }
    }

    /** Average CPU use of the deployment's ready replicas since the last call, in percent of their CPU request. */
    double cpuUtilization(DeploymentSpec spec) {
        Group group = groups.get(spec.name());
        if (group == null) {
            return 0;
        }
        double cores = spec.resources().cpuRequestCores().doubleValue();
        synchronized (group) {
            return group.replicas.stream().filter(r -> r.ready).mapToDouble(r -> r.cpuSinceLastCall() / cores * 100)
                    .average().orElse(0);
        }
    }

    /** Process ids of every replica, for tests and diagnostics. */
    List<ProcessHandle> processes(String deployment) {
        Group group = groups.get(deployment);
        if (group == null) {
            return List.of();
        }
        synchronized (group) {
            return group.replicas.stream().map(r -> r.process.toHandle()).toList();
        }
    }

    @Override
    public void close() {
        closed = true;
        List<LocalReplica> all = new ArrayList<>();
        groups.values().forEach(group -> {
            synchronized (group) {
                all.addAll(group.replicas);
            }
        });
        all.forEach(LocalReplica::stop);
        all.forEach(LocalReplica::awaitExit);
        groups.clear();
    }

    private LocalReplica start(Group group, DeploymentSpec spec, RuntimeSpec runtime) {
        int index = group.nextIndex++;
        Path dir = workDir.resolve(spec.name());
        try {
            Files.createDirectories(dir);
            int port = freePort();
            List<String> command = command(spec, runtime, port, dir);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("MODELWARD_TOKEN", runtime.token());
            builder.environment().put("MODELWARD_PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
            builder.environment().putIfAbsent("DJL_OFFLINE", "true");
            LocalReplica replica = new LocalReplica(index, builder.start(), port, clock.instant(), dir.resolve("replica-" + index + ".log"));
            log.info("Deployment {}: started replica {} (pid {}) on port {}", spec.name(), index, replica.process.pid(), port);
            Thread.ofVirtual().name("replica-output-" + spec.name() + "-" + index).start(replica::pumpOutput);
            Thread.ofVirtual().name("replica-ready-" + spec.name() + "-" + index).start(() -> awaitHealthy(group, replica));
            replica.process.onExit().thenRun(() -> exited(group, replica));
            return replica;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start a runtime for " + spec.name(), ex);
        }
    }

    List<String> command(DeploymentSpec spec, RuntimeSpec runtime, int port, Path dir) {
        String java = ProcessHandle.current().info().command().orElse("java");
        int workers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
                (int) Math.floor(Resources.parse(spec.resources().cpuLimit()) == null ? 1
                        : Resources.parse(spec.resources().cpuLimit()).doubleValue())));
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xss512k",
                // the classes a runtime loaded, archived by the JVM when the first replica exits and mapped by every
                // later start (scale from zero, restarts): about a third off the time to the first answer
                "-XX:SharedArchiveFile=" + classArchive().toAbsolutePath(), "-XX:+AutoCreateSharedArchive",
                "-Xlog:cds*=error", "-jar",
                settings.runtimeJar().toAbsolutePath().toString(),
                "--model-uri=" + artifactFile.apply(runtime.modelSha256()).toUri(),
                "--sha256=" + runtime.modelSha256(), "--format=" + runtime.format(),
                "--model-name=" + runtime.modelName(), "--model-version=" + runtime.modelVersion(),
                "--host=127.0.0.1", "--port=" + port, "--workers=" + workers, "--intra-op-threads=1",
                "--work-dir=" + dir.toAbsolutePath()));
        if (runtime.labelsSha256() != null) {
            command.add("--labels-uri=" + artifactFile.apply(runtime.labelsSha256()).toUri());
            command.add("--labels-sha256=" + runtime.labelsSha256());
        }
        runtime.processing().forEach((flag, value) -> command.add("--" + flag + "=" + value));
        return command;
    }

    /**
     * The JVM's class archive for runtime processes (CDS): written when a runtime exits if it is missing or no longer
     * matches the JVM and the runtime jar, used by every start after that.
     */
    Path classArchive() {
        return workDir.resolve("runtime-classes.jsa");
    }

    private void awaitHealthy(Group group, LocalReplica replica) {
        HttpRequest probe = HttpRequest.newBuilder(replica.url().resolve("/v2/health/ready"))
                .timeout(Duration.ofMillis(500)).build();
        while (!closed && !replica.exited() && !replica.stopping) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    List<CompletableFuture<Void>> waiters;
                    synchronized (group) {
                        replica.ready = true;
                        group.crashes = 0;
                        waiters = List.copyOf(group.waiters);
                        group.waiters.clear();
                    }
                    waiters.forEach(w -> w.complete(null));
                    onChange.run();
                    return;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(40);
        }
    }

    private void exited(Group group, LocalReplica replica) {
        if (replica.stopping || closed) {
            return;
        }
        synchronized (group) {
            group.crashes++;
            group.lastCrashLines = List.copyOf(replica.lastLines);
            long backoff = Math.min(30_000, 1_000L << Math.min(5, group.crashes - 1));
            group.nextStartAt = clock.instant().plusMillis(backoff);
            log.warn("Deployment {}: replica {} exited with code {} (crash {} of {}); restarting in {} ms",
                    group.name, replica.index, replica.process.exitValue(), group.crashes, settings.maxRestarts(),
                    backoff);
        }
        onChange.run();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** The replicas of one deployment. */
    private static final class Group {

        final String name;
        final List<LocalReplica> replicas = new ArrayList<>();
        final List<CompletableFuture<Void>> waiters = new ArrayList<>();
        @Nullable RuntimeSpec runtime;
        int nextIndex;
        int crashes;
        List<String> lastCrashLines = List.of();
        Instant nextStartAt = Instant.EPOCH;

        Group(String name) {
            this.name = name;
        }
    }
}
