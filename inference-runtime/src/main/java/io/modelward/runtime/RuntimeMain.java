package io.modelward.runtime;

import java.util.concurrent.CountDownLatch;

import io.modelward.runtime.engine.ServedModel;
import io.modelward.runtime.http.RuntimeServer;
import io.modelward.runtime.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the runtime: listens at once (health answers, readiness stays false), verifies and loads the model, warms
 * it up, then turns ready. SIGTERM turns readiness off, drains the queue and closes the model. A model that fails
 * verification or loading ends the process with exit code 2 and the reason.
 */
public final class RuntimeMain {

    private static final Logger log = LoggerFactory.getLogger(RuntimeMain.class);

    private RuntimeMain() {
    }

    /**
     * A runtime started as a local replica by the portal ends when the portal does, however the portal ends (even
     * {@code kill -9}), so no orphan keeps a port and a model in memory.
     */
    static void exitWithParent(@org.jspecify.annotations.Nullable String parentPid) {
        if (parentPid == null || !parentPid.matches("[0-9]{1,10}")) {
            return;
        }
        java.util.Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(parentPid));
        if (parent.isEmpty()) {
            System.err.println("modelward-runtime: parent process " + parentPid + " is gone; exiting.");
            System.exit(3);
        }
        parent.get().onExit().thenRun(() -> {
            log.info("The parent process {} ended; shutting down.", parentPid);
            System.exit(0);
        });
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        if (args.length == 1 && args[0].equals("--extract-natives")) {
            // container image build: unpack libtorch into DJL_CACHE_DIR once, then exit
            System.setProperty("ai.djl.offline", "true");
            System.out.println("libtorch " + ai.djl.engine.Engine.getEngine("PyTorch").getVersion() + " ready in "
                    + System.getenv().getOrDefault("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"));
            return;
        }
        RuntimeConfig config;
        try {
            config = RuntimeConfig.parse(args, System.getenv());
        }
        catch (StartupException ex) {
            System.err.println("modelward-runtime: " + ex.getMessage());
            System.exit(2);
            return;
        }
        exitWithParent(System.getenv("MODELWARD_PARENT_PID"));
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(config.intraOpThreads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Metrics metrics = new Metrics(config.modelName());
        RuntimeServer server = new RuntimeServer(config.host(), config.port(), metrics, config.token(),
                config.maxBodyBytes(), config.maxInflightBytes());
        server.start();
        ServedModel model;
        try {
            model = ServedModel.load(config, metrics);
        }
        catch (StartupException ex) {
            log.error("Refusing to start: {}", ex.getMessage());
            server.close();
            System.exit(2);
            return;
        }
        catch (RuntimeException | Error ex) {
            log.error("Refusing to start: the model could not be loaded", ex);
            server.close();
            System.exit(2);
            return;
        }
        server.serve(model);
        log.info("Model {} version {} ready on port {} in {} ms ({} workers × {} threads, batch ≤ {})",
                config.modelName(), config.modelVersion(), server.port(), (System.nanoTime() - started) / 1_000_000,
                config.workers(), config.intraOpThreads(), config.batchSize());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            log.info("Stopping: draining {} queued requests", model.queueDepth());
            server.notReady();
            model.close();
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
