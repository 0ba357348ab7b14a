package io.modelward.portal.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Local accounts for the embedded default, under {@code modelward.security.local}; used whenever Keycloak single
 * sign-on is not enabled. A user without a configured
 * password gets a random one at first start, kept (readable by the owner only) in {@code accountsFile}.
 *
 * @param accountsFile where generated passwords are kept; defaults to {@code <data-dir>/local-accounts.properties}
 * @param users the accounts
 * @param lockout when repeated failed logins lock an account for a while
 */
@Validated
@ConfigurationProperties("modelward.security.local")
public record LocalAccountProperties(@Nullable Path accountsFile,
        @Valid List<User> users, Lockout lockout) {

    public LocalAccountProperties {
        users = users == null || users.isEmpty() ? defaults() : List.copyOf(users);
        lockout = lockout == null ? new Lockout(null, null, null) : lockout;
    }

    /**
     * Throttling of password guesses: {@code maxFailures} failed logins of one account within {@code window} lock it
     * for {@code duration}, during which even the right password is refused.
     */
    public record Lockout(@Nullable Integer maxFailures, @Nullable Duration window, @Nullable Duration duration) {

        public Lockout {
            maxFailures = maxFailures == null ? 5 : maxFailures;
            window = window == null ? Duration.ofMinutes(15) : window;
            duration = duration == null ? Duration.ofMinutes(15) : duration;
            if (maxFailures < 1 || window.isNegative() || window.isZero() || duration.isNegative()
                    || duration.isZero()) {
                throw new IllegalArgumentException("modelward.security.local.lockout: max-failures must be at least 1, "
                        + "window and duration positive");
            }
        }
    }

    /**
     * One local account.
     *
     * @param name the login name
     * @param displayName the name shown in the portal
     * @param roles realm role names, e.g. {@code researcher}, {@code model-approver}
     * @param password the password, or empty to generate one
     */
    public record User(@NotBlank String name, @Nullable String displayName, @NotEmpty List<String> roles,
            @Nullable String password) {
    }

    static List<User> defaults() {
        return List.of(new User("alice", "Alice Researcher", List.of("researcher"), null),
                new User("erin", "Erin Researcher", List.of("researcher"), null),
                new User("bob", "Bob Approver", List.of("model-approver"), null),
                new User("carol", "Carol Auditor", List.of("auditor"), null),
                new User("admin", "Ada Admin", List.of("admin"), null));
    }
}
