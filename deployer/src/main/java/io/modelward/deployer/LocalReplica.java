package io.modelward.deployer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * One runtime process of a local deployment: its port, readiness, the last lines it printed (for a crash report) and
 * its CPU use since the autoscaler last asked.
 */
final class LocalReplica {

    private static final int LOG_LINES = 30;

    final int index;
    final Process process;
    final int port;
    final Instant started;
    final Path logFile;
    final Deque<String> lastLines = new ConcurrentLinkedDeque<>();
    volatile boolean ready;
    volatile boolean stopping;
    volatile boolean crashedStarting;
    private Duration lastCpu = Duration.ZERO;
    private long lastNanos = System.nanoTime();

    LocalReplica(int index, Process process, int port, Instant started, Path logFile) {
        this.index = index;
        this.process = process;
        this.port = port;
        this.started = started;
        this.logFile = logFile;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    boolean exited() {
        return !process.isAlive();
    }

    void stop() {
        stopping = true;
        process.destroy();
    }

    void awaitExit() {
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    double cpuSinceLastCall() {
        Duration cpu = process.toHandle().info().totalCpuDuration().orElse(lastCpu);
        long now = System.nanoTime();
        double share = (cpu.minus(lastCpu).toNanos()) / (double) Math.max(1, now - lastNanos);
        lastCpu = cpu;
        lastNanos = now;
        return share;
    }

    void pumpOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                lastLines.add(line.length() > 500 ? line.substring(0, 500) + "…" : line);
                while (lastLines.size() > LOG_LINES) {
                    lastLines.pollFirst();
                }
            }
        }
        catch (IOException ex) {
            lastLines.add("(output unreadable: " + ex.getMessage() + ")");
        }
    }
}
