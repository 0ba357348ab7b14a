package io.modelward.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Keycloak server (the distribution from Maven Central, unpacked by the build) with the hospital realm
 * imported, on a free loopback port. Started once per test JVM and stopped by PID when the JVM ends; when it does not
 * come up, the failure carries its log.
 */
final class KeycloakServer {

    private static KeycloakServer instance;

    private final Process process;
    private final int port;
    private final Path log;

    private KeycloakServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static synchronized KeycloakServer shared() throws IOException, InterruptedException {
        if (instance == null) {
            instance = start();
            KeycloakServer started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return instance;
    }

    private static KeycloakServer start() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("modelward.keycloak.home", "target/keycloak/keycloak-26.5.6"));
        Path realm = Path.of(System.getProperty("modelward.keycloak.realm", "../../tools/keycloak/hospital-realm.json"));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home.toAbsolutePath()
                    + ": the build unpacks org.keycloak:keycloak-quarkus-dist there (run the README's test command).");
        }
        Files.createDirectories(home.resolve("data/import"));
        Files.copy(realm, home.resolve("data/import/hospital-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        int port = freePort();
        Path log = home.resolve("keycloak-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev", "--import-realm",
                "--http-host=127.0.0.1", "--http-port=" + port, "--hostname=http://127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-test-password");
        env.put("JAVA_OPTS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms64m -Xmx512m -XX:MetaspaceSize=96M "
                + "-XX:MaxMetaspaceSize=256m --add-opens=java.base/java.lang=ALL-UNNAMED");
        ProcessHandle.current().info().command().map(Path::of).map(Path::getParent).map(Path::getParent)
                .ifPresent(javaHome -> env.put("JAVA_HOME", javaHome.toString()));
        long started = System.nanoTime();
        KeycloakServer server = new KeycloakServer(builder.start(), port, log);
        server.awaitReady(Duration.ofSeconds(180));
        System.out.printf("Keycloak ready in %d ms on port %d%n", (System.nanoTime() - started) / 1_000_000, port);
        return server;
    }

    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/hospital";
    }

    String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    private void awaitReady(Duration limit) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        URI wellKnown = URI.create(issuer() + "/.well-known/openid-configuration");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(wellKnown).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        stop();
        throw new IllegalStateException("Keycloak was not ready within " + limit.toSeconds() + " s:\n"
                + Files.readString(log));
    }

    /** Stops Keycloak and the JVM it runs in (kc.sh starts java as its child). */
    void stop() {
        List<ProcessHandle> all = process.descendants().toList();
        process.destroy();
        all.forEach(ProcessHandle::destroy);
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
