package io.modelward.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

class LoginThrottleTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(new LocalAccountProperties.Lockout(3, Duration.ofMinutes(15),
            Duration.ofMinutes(10)), clock);

    @Test
    void locksANameAtTheThirdFailureWithinTheWindowAndOnlyThen() {
        assertThat(throttle.failed("frank")).isFalse();
        assertThat(throttle.failed("Frank")).isFalse();
        assertThat(throttle.locked("frank")).isFalse();
        assertThat(throttle.failed("FRANK")).isTrue();
        assertThat(throttle.locked("frank")).isTrue();
        assertThat(throttle.failed("frank")).as("a failure while locked locks nothing anew").isFalse();
    }

    @Test
    void forgetsFailuresOlderThanTheWindow() {
        throttle.failed("frank");
        throttle.failed("frank");
        clock.advance(Duration.ofMinutes(16));
        assertThat(throttle.failed("frank")).isFalse();
        assertThat(throttle.locked("frank")).isFalse();
    }

    @Test
    void unlocksAfterTheLockoutDuration() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("frank");
        }
        clock.advance(Duration.ofMinutes(9));
        assertThat(throttle.locked("frank")).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.locked("frank")).isFalse();
        assertThat(throttle.failed("frank")).as("counting starts over").isFalse();
    }

    @Test
    void aSuccessfulLoginForgetsTheFailures() {
        throttle.failed("frank");
        throttle.failed("frank");
        throttle.succeeded("frank");
        assertThat(throttle.failed("frank")).isFalse();
        assertThat(throttle.failed("frank")).isFalse();
        assertThat(throttle.failed("frank")).isTrue();
    }

    @Test
    void showsALockedNameAsALockedAccountWhetherOrNotItExists() {
        var accounts = throttle.guard(new InMemoryUserDetailsManager(User.withUsername("frank").password("{noop}pw")
                .roles("RESEARCHER").build()));
        assertThat(accounts.loadUserByUsername("frank").isAccountNonLocked()).isTrue();
        for (int i = 0; i < 3; i++) {
            throttle.failed("frank");
            throttle.failed("nobody");
        }
        assertThat(accounts.loadUserByUsername("frank").isAccountNonLocked()).isFalse();
        assertThat(accounts.loadUserByUsername("nobody").isAccountNonLocked()).isFalse();
    }

    @Test
    void staysBoundedUnderAFloodOfNames() {
        for (int i = 0; i < LoginThrottle.MAX_NAMES + 100; i++) {
            throttle.failed("name-" + i);
        }
        assertThat(throttle.size()).isLessThanOrEqualTo(LoginThrottle.MAX_NAMES);
        throttle.failed("frank");
        throttle.failed("frank");
        assertThat(throttle.failed("frank")).as("still counts after a flood").isTrue();
    }
}
