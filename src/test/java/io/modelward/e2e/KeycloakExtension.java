package io.modelward.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the real Keycloak ({@link KeycloakServer}) and the portal in its {@code keycloak} profile
 * ({@link SsoPortal}), as parameters of test or lifecycle methods. Each is started once per test run, on first use,
 * and closed when the run ends (both live in the root context's store).
 */
final class KeycloakExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KeycloakServer.class || type == SsoPortal.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KeycloakServer.class ? keycloak(context) : portal(context);
    }

    static KeycloakServer keycloak(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(KeycloakServer.class, type -> {
            try {
                return KeycloakServer.start();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }, KeycloakServer.class);
    }

    static SsoPortal portal(ExtensionContext context) {
        KeycloakServer keycloak = keycloak(context);
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(SsoPortal.class, type -> {
            try {
                return SsoPortal.start(keycloak);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }, SsoPortal.class);
    }
}
