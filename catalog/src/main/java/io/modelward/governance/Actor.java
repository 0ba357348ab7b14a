package io.modelward.governance;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who performs an action: the stable subject (user name or token {@code sub}), a name for people, and roles.
 * Services take it explicitly, so every authorization decision is made on the server from the same facts.
 */
public record Actor(String subject, String displayName, Set<Role> roles) {

    public Actor {
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
        displayName = displayName == null || displayName.isBlank() ? subject : displayName;
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public static Actor of(String subject, Role... roles) {
        return new Actor(subject, subject, roles.length == 0 ? Set.of() : EnumSet.of(roles[0], roles));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean isAdmin() {
        return has(Role.ADMIN);
    }
}
