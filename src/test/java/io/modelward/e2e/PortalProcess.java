package io.modelward.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The packaged portal, started exactly as the README says ({@code java -jar portal/target/modelward-portal-exec.jar}
 * from the repository's root, so the local deployer finds the runtime jar where the README's build leaves it) on the
 * embedded default, in its own data directory and on a free port. Its log goes to {@code portal.log} in that
 * directory and is printed when it does not come up.
 */
final class PortalProcess implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);

    private final Path dataDir;
    private final int port;
    private final Process process;
    private final Duration coldStart;

    private PortalProcess(Path dataDir, int port, Process process, Duration coldStart) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
        this.coldStart = coldStart;
    }

    static PortalProcess start(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        dataDir = Files.createDirectories(dataDir).toAbsolutePath();
        int port = freePort();
        Path jar = Path.of(System.getProperty("modelward.portal.jar", "../../portal/target/modelward-portal-exec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The portal jar " + jar.toAbsolutePath() + " is missing: build the portal "
                    + "module first (the README's test command does).");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx768m", "-jar",
                jar.toAbsolutePath().toString(), "--server.port=" + port, "--modelward.data-dir=" + dataDir));
        command.addAll(List.of(extraArgs));
        Path log = dataDir.resolve("portal.log");
        long started = System.nanoTime();
        Path root = Path.of(System.getProperty("modelward.repo.root", "../.."));
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        PortalProcess portal = new PortalProcess(dataDir, port, process, Duration.ZERO);
        try {
            portal.awaitHealthy();
        }
        catch (RuntimeException | IOException | InterruptedException ex) {
            portal.close();
            System.err.println("---- portal log (" + log + ") ----\n" + Files.readString(log));
            throw ex;
        }
        return new PortalProcess(dataDir, port, process, Duration.ofNanos(System.nanoTime() - started));
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The portal's JVM, whose children are the local deployments' runtime processes. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    Duration coldStart() {
        return coldStart;
    }

    /** The generated password of a local account, as a newcomer reads it from the accounts file. */
    String password(String user) {
        Properties accounts = new Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve("local-accounts.properties"))) {
            accounts.load(in);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        String password = accounts.getProperty(user);
        if (password == null) {
            throw new IllegalStateException("No local account " + user);
        }
        return password;
    }

    String log() throws IOException {
        return Files.readString(dataDir.resolve("portal.log"));
    }

    /** The logs of every local runtime process this portal started ({@code deployments/<name>/replica-<n>.log}). */
    String runtimeLogs() throws IOException {
        Path deployments = dataDir.resolve("deployments");
        if (!Files.isDirectory(deployments)) {
            return "(no local deployments)";
        }
        StringBuilder text = new StringBuilder();
        try (var files = Files.walk(deployments, 2)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("replica-\\d+\\.log")).sorted().toList()) {
                text.append("---- ").append(deployments.relativize(file)).append(" ----\n").append(Files.readString(file));
            }
        }
        return text.toString();
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The portal exited with code " + process.exitValue() + " while starting");
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url("/actuator/health")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                    return;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The portal was not healthy within " + STARTUP_LIMIT.toSeconds() + " s");
    }

    /** Stops the portal as a service manager would: SIGTERM, then a hard kill if it does not end in 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** Kills the portal with SIGKILL, as a crash or the OOM killer would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** The embedded PostgreSQL server (pg_ctl starts it detached, so it is not a child of the portal). */
    ProcessHandle postgres() throws IOException {
        String pid = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().strip();
        return ProcessHandle.of(Long.parseLong(pid)).orElseThrow(() -> new IllegalStateException("no postgres " + pid));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
