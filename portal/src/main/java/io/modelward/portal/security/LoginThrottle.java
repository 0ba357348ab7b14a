package io.modelward.portal.security;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * Throttles password guessing on local accounts: {@code maxFailures} failed logins of one user name within
 * {@code window} lock it for {@code duration}, and while locked even the right password is refused. Names are
 * counted whether or not an account has them, so a lockout says nothing about which accounts exist. It is kept in
 * memory, per portal (local accounts are the embedded default's, one portal); the memory is bounded by
 * {@value #MAX_NAMES} names.
 */
final class LoginThrottle {

    static final int MAX_NAMES = 10_000;

    private final LocalAccountProperties.Lockout settings;
    private final Clock clock;
    private final Map<String, Guesses> names = new HashMap<>();

    private static final class Guesses {

        final Deque<Instant> failures = new ArrayDeque<>();
        @Nullable Instant lockedUntil;
    }

    LoginThrottle(LocalAccountProperties.Lockout settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Whether the name is locked now. */
    synchronized boolean locked(String name) {
        Guesses guesses = names.get(key(name));
        return guesses != null && guesses.lockedUntil != null && clock.instant().isBefore(guesses.lockedUntil);
    }

    /** Counts a failed login; true when it locks the name (a failure while locked counts for nothing). */
    synchronized boolean failed(String name) {
        Instant now = clock.instant();
        if (locked(name)) {
            return false;
        }
        if (names.size() >= MAX_NAMES && !names.containsKey(key(name))) {
            forgetStale(now);
        }
        Guesses guesses = names.computeIfAbsent(key(name), k -> new Guesses());
        guesses.lockedUntil = null;
        guesses.failures.addLast(now);
        while (!guesses.failures.getFirst().isAfter(now.minus(settings.window()))) {
            guesses.failures.removeFirst();
        }
        if (guesses.failures.size() >= settings.maxFailures()) {
            guesses.failures.clear();
            guesses.lockedUntil = now.plus(settings.duration());
            return true;
        }
        return false;
    }

    /**
     * The accounts as the password check sees them: a locked name is a locked account, whether or not it exists, so
     * the check refuses it before looking at the password, and a wrong name locks like a right one.
     */
    UserDetailsService guard(UserDetailsService accounts) {
        return name -> name != null && !name.isBlank() && locked(name)
                ? User.withUsername(name).password("").authorities(List.of()).accountLocked(true).build()
                : accounts.loadUserByUsername(name);
    }

    /** A successful login forgets the name's failures. */
    synchronized void succeeded(String name) {
        names.remove(key(name));
    }

    /** How many names are remembered now. */
    synchronized int size() {
        return names.size();
    }

    private void forgetStale(Instant now) {
        Instant windowStart = now.minus(settings.window());
        names.values().removeIf(g -> (g.lockedUntil == null || !now.isBefore(g.lockedUntil))
                && (g.failures.isEmpty() || !g.failures.getLast().isAfter(windowStart)));
        if (names.size() >= MAX_NAMES) {
            // a flood of distinct names: start over rather than grow
            names.values().removeIf(g -> g.lockedUntil == null);
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
