package io.modelward.portal.security;

import java.util.EnumSet;
import java.util.Set;

import io.modelward.governance.Actor;
import io.modelward.governance.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;

/** Turns a Spring Security authentication into the {@link Actor} that services authorize. */
public final class Actors {

    private Actors() {
    }

    /** The actor of the current request, or null when it is anonymous. */
    public static @Nullable Actor current() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        return who == null || who instanceof AnonymousAuthenticationToken || !who.isAuthenticated() ? null : from(who);
    }

    public static Actor from(Authentication authentication) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            if (authority.getAuthority() != null) {
                Role.fromAuthority(authority.getAuthority()).ifPresent(roles::add);
            }
        }
        return new Actor(authentication.getName(), displayName(authentication), roles);
    }

    /** The person's full name where the identity provider gives one (OIDC {@code name}), else the user name. */
    private static String displayName(Authentication authentication) {
        Object name = switch (authentication.getPrincipal()) {
            case OidcUser user -> user.getFullName();
            case Jwt jwt -> jwt.getClaimAsString(StandardClaimNames.NAME);
            case null, default -> null;
        };
        return name instanceof String text && !text.isBlank() ? text : authentication.getName();
    }
}
