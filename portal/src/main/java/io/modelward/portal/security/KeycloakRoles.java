package io.modelward.portal.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.modelward.governance.Role;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Maps Keycloak realm roles ({@code realm_access.roles} in a token or userinfo) to the platform's authorities, e.g.
 * {@code model-approver} to {@code ROLE_MODEL_APPROVER}. Roles ModelWard does not know are ignored, so a realm's own
 * roles ({@code offline_access}, {@code uma_authorization}, ...) never grant anything.
 */
final class KeycloakRoles {

    static final String REALM_ACCESS = "realm_access";

    private KeycloakRoles() {
    }

    static boolean present(Map<String, Object> claims) {
        return claims.get(REALM_ACCESS) instanceof Map<?, ?> access && access.get("roles") instanceof Collection<?>;
    }

    static Set<GrantedAuthority> authorities(Map<String, Object> claims) {
        Set<GrantedAuthority> authorities = new LinkedHashSet<>();
        if (claims.get(REALM_ACCESS) instanceof Map<?, ?> access && access.get("roles") instanceof Collection<?> roles) {
            for (Object role : roles) {
                if (role instanceof String name) {
                    Role.fromRealmRole(name).ifPresent(r -> authorities.add(new SimpleGrantedAuthority(r.authority())));
                }
            }
        }
        return authorities;
    }
}
