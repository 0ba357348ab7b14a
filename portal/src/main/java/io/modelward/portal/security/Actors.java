package io.modelward.portal.security;

import java.util.EnumSet;
import java.util.Set;

import io.modelward.governance.Actor;
import io.modelward.governance.Role;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** Turns a Spring Security authentication into the {@link Actor} that services authorize. */
public final class Actors {

    private Actors() {
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

    private static String displayName(Authentication authentication) {
        return authentication.getName();
    }
}
