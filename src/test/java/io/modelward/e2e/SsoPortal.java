package io.modelward.e2e;

import java.io.IOException;
import java.nio.file.Path;

/** The packaged portal in its {@code keycloak} profile, pointed at the real Keycloak, on a fresh embedded database. */
final class SsoPortal implements AutoCloseable {

    private final PortalProcess process;

    private SsoPortal(PortalProcess process) {
        this.process = process;
    }

    static SsoPortal start(KeycloakServer keycloak) throws IOException, InterruptedException {
        Path dataDir = Path.of(System.getProperty("modelward.e2e.work-dir", "target/e2e")).resolve("sso-" + System.nanoTime());
        return new SsoPortal(PortalProcess.start(dataDir, "--spring.profiles.active=keycloak",
                "--modelward.security.keycloak.issuer-uri=" + keycloak.issuer(),
                "--modelward.security.keycloak.client-secret=model-portal-dev-secret",
                // Keycloak runs on this machine's clock: a tight skew lets the expiry test wait only seconds
                "--modelward.security.keycloak.clock-skew=1s"));
    }

    String url(String path) {
        return process.url(path);
    }

    String log() throws IOException {
        return process.log();
    }

    String runtimeLogs() throws IOException {
        return process.runtimeLogs();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
