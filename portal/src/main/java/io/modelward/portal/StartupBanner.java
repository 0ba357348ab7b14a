package io.modelward.portal;

import java.nio.file.Path;

import io.modelward.portal.security.LocalAccountProperties;
import io.modelward.portal.security.LoginMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells the person who started the portal where it is and how to log in. Passwords are never printed. */
@Component
class StartupBanner {

    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

    private final LoginMethod login;
    private final LocalAccountProperties localAccounts;
    private final PortalProperties portal;

    StartupBanner(LoginMethod login, LocalAccountProperties localAccounts, PortalProperties portal) {
        this.login = login;
        this.localAccounts = localAccounts;
        this.portal = portal;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        String url = "http://localhost:" + port(event);
        StringBuilder text = new StringBuilder("\n\n  ModelWard is ready at ").append(url).append('\n');
        if (login.sso()) {
            text.append("  Log in through the hospital's Keycloak: ").append(login.issuer()).append('\n');
        }
        else {
            Path file = localAccounts.accountsFile() != null ? localAccounts.accountsFile()
                    : portal.dataDir().resolve("local-accounts.properties");
            text.append("  Log in with a local account: ");
            text.append(String.join(", ", localAccounts.users().stream()
                    .map(u -> u.name() + " (" + String.join(", ", u.roles()) + ")").toList()));
            text.append("\n  Their passwords are in ").append(file.toAbsolutePath()).append('\n');
        }
        log.info(text.toString());
    }

    private static int port(ApplicationReadyEvent event) {
        return event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null
                ? web.getWebServer().getPort() : 8080;
    }
}
