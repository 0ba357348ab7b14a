package io.modelward.e2e;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The packaged portal in its {@code keycloak} profile, pointed at the shared real Keycloak: started once per test JVM
 * (on a fresh embedded database) and stopped when the JVM ends.
 */
final class SsoPortal {

    private static PortalProcess instance;

    private SsoPortal() {
    }

    static synchronized PortalProcess shared() throws IOException, InterruptedException {
        if (instance == null) {
            KeycloakServer keycloak = KeycloakServer.shared();
            Path dataDir = Path.of(System.getProperty("modelward.e2e.work-dir", "target/e2e"))
                    .resolve("sso-" + System.nanoTime());
            PortalProcess portal = PortalProcess.start(dataDir, "--spring.profiles.active=keycloak",
                    "--modelward.security.keycloak.issuer-uri=" + keycloak.issuer(),
                    "--modelward.security.keycloak.client-secret=model-portal-dev-secret",
                    // Keycloak runs on this machine's clock: a tight skew lets the expiry test wait only seconds
                    "--modelward.security.keycloak.clock-skew=1s");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    portal.close();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }));
            instance = portal;
        }
        return instance;
    }
}
