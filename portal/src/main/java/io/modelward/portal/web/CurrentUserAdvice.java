package io.modelward.portal.web;

import java.util.stream.Collectors;

import io.modelward.governance.Actor;
import io.modelward.governance.Role;
import io.modelward.portal.security.Actors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the logged-in person into every page's model as {@code me}, for the header (catalog, deployments, audit). */
@ControllerAdvice(basePackages = { "io.modelward.portal.web", "io.modelward.portal.audit" })
class CurrentUserAdvice {

    @ModelAttribute("me")
    @Nullable Me me(@Nullable Authentication authentication) {
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
            return null;
        }
        return new Me(Actors.from(authentication));
    }

    /** The person in the header: name and realm roles. */
    record Me(Actor actor) {

        public String name() {
            return actor.displayName();
        }

        public String roleNames() {
            return actor.roles().stream().map(Role::realmRole).sorted().collect(Collectors.joining(", "));
        }
    }
}
