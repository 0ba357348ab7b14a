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
 * imported, on free loopback ports. Tests get it from {@link KeycloakExtension}, which starts it once per test run
 * and closes it at the end, stopping it by PID (a JVM shutdown hook does the same if the run is aborted). When it
 * does not come up, the failure carries its log.
 */
final class KeycloakServer implements AutoCloseable {

    /** The master realm's admin password (user {@code admin}), a throw-away one for tests. */
    private static final String ADMIN_PASSWORD = "admin-test-password";

    private final Process process;
    private final int port;
    private final Path log;

    private KeycloakServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static KeycloakServer start() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("modelward.keycloak.home", "target/keycloak/keycloak-26.5.6"));
        Path realm = Path.of(System.getProperty("modelward.keycloak.realm", "../../tools/keycloak/hospital-realm.json"));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home.toAbsolutePath()
                    + ": the build unpacks org.keycloak:keycloak-quarkus-dist there (run the README's test command).");
        }
        long started = System.nanoTime();
        prepare(home, realm);
        long prepared = System.nanoTime();
        int port = freePort();
        Path log = home.resolve("keycloak-" + port + ".log");
        // the issuer follows the Host of each request (no fixed hostname), so a token fetched through "localhost"
        // is a genuine, correctly signed token with another issuer
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--cache=local", "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + port,
                "--hostname-strict=false", "--http-management-port=" + freePort())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        environment(builder);
        KeycloakServer server = new KeycloakServer(builder.start(), port, log);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        server.awaitReady(Duration.ofSeconds(180));
        long ready = System.nanoTime();
        System.out.printf("Keycloak ready on port %d: %d ms (preparing %d ms, start %d ms)%n", port,
                (ready - started) / 1_000_000, (prepared - started) / 1_000_000, (ready - prepared) / 1_000_000);
        return server;
    }

    /**
     * The fast start of the recipes: build the distribution once for the H2 file database (an optimized start skips
     * the build), import the realm once into a template database kept per realm file content, then give each start a
     * fresh copy of that template (with the master realm's admin added). A clean checkout pays about 25 s once; later
     * starts take about 7 s.
     */
    private static void prepare(Path home, Path realm) throws IOException, InterruptedException {
        Path built = home.resolve("lib/quarkus/quarkus-application.dat");
        Path marker = home.resolve(".modelward-build");
        String stamp = "db=dev-file health=true " + (Files.exists(built) ? Files.getLastModifiedTime(built) : "");
        if (!Files.exists(marker) || !Files.readString(marker).equals(stamp)) {
            run(home, "build", List.of("build", "--db=dev-file", "--health-enabled=true"));
            Files.writeString(marker, "db=dev-file health=true " + Files.getLastModifiedTime(built));
        }
        String digest = sha256(Files.readAllBytes(realm)).substring(0, 16);
        Path template = home.resolveSibling("h2-template-" + digest + "-admin");
        Path data = home.resolve("data/h2");
        if (!Files.isDirectory(template)) {
            deleteTree(data);
            run(home, "import", List.of("import", "--optimized", "--file", realm.toAbsolutePath().toString()));
            // the master realm's admin (the import made the master realm without one), for tokens of another realm
            run(home, "bootstrap-admin", List.of("bootstrap-admin", "user", "--optimized", "--no-prompt",
                    "--username:env", "KC_BOOTSTRAP_ADMIN_USERNAME", "--password:env", "KC_BOOTSTRAP_ADMIN_PASSWORD"));
            Path partial = home.resolveSibling(template.getFileName() + ".partial");
            deleteTree(partial);
            copyTree(data, partial);
            Files.move(partial, template, StandardCopyOption.ATOMIC_MOVE);
        }
        deleteTree(data);
        copyTree(template, data);
    }

    private static void run(Path home, String step, List<String> args) throws IOException, InterruptedException {
        Path log = home.resolve("keycloak-" + step + ".log");
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/kc.sh").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        environment(builder);
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("Keycloak " + step + " did not finish in 300 s:\n" + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Keycloak " + step + " failed with code " + process.exitValue() + ":\n"
                    + Files.readString(log));
        }
    }

    private static void environment(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.put("JAVA_OPTS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms64m -Xmx512m -XX:MetaspaceSize=96M "
                + "-XX:MaxMetaspaceSize=256m --add-opens=java.base/java.lang=ALL-UNNAMED");
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        ProcessHandle.current().info().command().map(Path::of).map(Path::getParent).map(Path::getParent)
                .ifPresent(javaHome -> env.put("JAVA_HOME", javaHome.toString()));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/hospital";
    }

    String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    int port() {
        return port;
    }

    /** An access token of a development-realm user (password grant of the portal's client). */
    String userToken(String user) throws IOException, InterruptedException {
        return token(tokenEndpoint(), Map.of("grant_type", "password", "client_id", "model-portal",
                "client_secret", "model-portal-dev-secret", "username", user, "password", user + "-dev-password"));
    }

    /** The same, asked through {@code localhost}: a genuine token whose issuer is not the configured one. */
    String userTokenViaLocalhost(String user) throws IOException, InterruptedException {
        return token(tokenEndpoint().replace("127.0.0.1", "localhost"), Map.of("grant_type", "password",
                "client_id", "model-portal", "client_secret", "model-portal-dev-secret", "username", user,
                "password", user + "-dev-password"));
    }

    /** A genuine token from another realm, {@code master}: the bootstrap admin's, signed by that realm's key. */
    String masterRealmToken() throws IOException, InterruptedException {
        return token(tokenEndpoint().replace("/realms/hospital/", "/realms/master/"), Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", "admin", "password", ADMIN_PASSWORD));
    }

    /** A program's access token (client credentials); each development client's secret is {@code <id>-dev-secret}. */
    String clientToken(String clientId) throws IOException, InterruptedException {
        return token(tokenEndpoint(), Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", clientId + "-dev-secret"));
    }

    private static String token(String endpoint, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream().map(e -> e.getKey() + "="
                + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused a token (" + response.statusCode() + "): "
                    + response.body());
        }
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(response.body());
        if (!token.find()) {
            throw new IllegalStateException("No access token in " + response.body());
        }
        return token.group(1);
    }

    /** Keycloak's own log of this run, for a failing test to show. */
    String log() throws IOException {
        return Files.readString(log);
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
        close();
        throw new IllegalStateException("Keycloak was not ready within " + limit.toSeconds() + " s:\n"
                + Files.readString(log));
    }

    /** Stops Keycloak and the JVM it runs in (kc.sh starts java as its child), by PID. */
    @Override
    public void close() {
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
