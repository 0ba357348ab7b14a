package io.modelward.portal.security;

import java.util.Set;

import io.modelward.governance.Actor;
import io.modelward.governance.AuditLog;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.Outcome;
import io.modelward.governance.SecurityEvent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Puts the security events on the audit trail, through {@link AuditLog#recordNow}: requests Spring Security refuses
 * (a role the path needs, a missing CSRF token) as DENIED rows of the action they attempted; logins (form and single
 * sign-on), failed logins (form, HTTP Basic and single sign-on), lockouts and logouts. A program's successful HTTP
 * Basic calls are not logins: each would be a row. Passwords never reach this class's records or logs.
 */
@Component
public class SecurityTrail {

    private static final Logger log = LoggerFactory.getLogger(SecurityTrail.class);
    static final String ROLES_REFUSED = "Your roles do not allow this action.";

    private final AuditLog audit;
    private final ObjectProvider<LoginThrottle> throttle;
    private final ObjectProvider<LocalAccountProperties> local;

    SecurityTrail(AuditLog audit, ObjectProvider<LoginThrottle> throttle, ObjectProvider<LocalAccountProperties> local) {
        this.audit = audit;
        this.throttle = throttle;
        this.local = local;
    }

    /** Records a request Spring Security refused; false when the row could not be written. */
    boolean refused(HttpServletRequest request, String reason) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        Actor actor = who == null || who instanceof AnonymousAuthenticationToken || !who.isAuthenticated()
                ? Actor.of("anonymous") : Actors.from(who);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return write(SecurityEvent.denied(Attempts.of(actor, request.getMethod(), path, reason),
                request.getRemoteAddr()));
    }

    static String reason(AccessDeniedException ex) {
        return ex instanceof CsrfException ? "The form's CSRF token is missing or invalid: reload the page."
                : ROLES_REFUSED;
    }

    /** The portal pages' handler: records the refusal, then answers with the 403 error page as before. */
    AccessDeniedHandler pages() {
        AccessDeniedHandler page = new AccessDeniedHandlerImpl();
        return (request, response, ex) -> {
            if (!refused(request, reason(ex))) {
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                return;
            }
            page.handle(request, response, ex);
        };
    }

    /** Single sign-on that did not complete: recorded, then back to the login page with its error. */
    AuthenticationFailureHandler ssoFailures(String failureUrl) {
        SimpleUrlAuthenticationFailureHandler page = new SimpleUrlAuthenticationFailureHandler(failureUrl);
        return (request, response, ex) -> {
            String reason = ex instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode()
                    + (oauth.getError().getDescription() == null ? "" : ": " + oauth.getError().getDescription())
                    : ex.getMessage();
            write(SecurityEvent.session(Actor.of("anonymous"), GovernanceAction.LOGIN_FAILED, Outcome.DENIED, 401,
                    request.getRemoteAddr(), "single sign-on did not complete: " + reason));
            page.onAuthenticationFailure(request, response, ex);
        };
    }

    @EventListener
    void loggedIn(InteractiveAuthenticationSuccessEvent event) {
        Authentication who = event.getAuthentication();
        write(SecurityEvent.session(Actors.from(who), GovernanceAction.LOGIN, Outcome.OK, null, sourceIp(who),
                who instanceof UsernamePasswordAuthenticationToken ? "form login" : "single sign-on"));
    }

    /** Any successful password check, HTTP Basic included, forgets the account's failed logins. */
    @EventListener
    void authenticated(AuthenticationSuccessEvent event) {
        if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken who) {
            throttle.ifAvailable(t -> t.succeeded(who.getName()));
        }
    }

    /**
     * A failed password login (form or HTTP Basic), and the lockout it may cause. Refused bearer tokens are not logins:
     * the request they came with is answered 401, and audited there where it is an inference call.
     */
    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        if (!(event.getAuthentication() instanceof UsernamePasswordAuthenticationToken attempt)) {
            return;
        }
        String name = attempt.getName() == null || attempt.getName().isBlank() ? "(none)" : attempt.getName();
        Actor actor = new Actor(name, null, Set.of());
        String ip = sourceIp(attempt);
        String how = channel();
        boolean locked = event.getException() instanceof LockedException;
        write(SecurityEvent.session(actor, GovernanceAction.LOGIN_FAILED, Outcome.DENIED, 401, ip, how + ": "
                + (locked ? "the account is locked after repeated failed logins" : "wrong user name or password")));
        LoginThrottle guard = throttle.getIfAvailable();
        if (!locked && guard != null && guard.failed(name)) {
            LocalAccountProperties.Lockout lockout = local.getObject().lockout();
            write(SecurityEvent.session(actor, GovernanceAction.LOCKOUT, Outcome.DENIED, 401, ip, "locked for "
                    + lockout.duration() + " after " + lockout.maxFailures() + " failed logins within "
                    + lockout.window() + " (last: " + how + ")"));
        }
    }

    @EventListener
    void loggedOut(LogoutSuccessEvent event) {
        Authentication who = event.getAuthentication();
        write(SecurityEvent.session(Actors.from(who), GovernanceAction.LOGOUT, Outcome.OK, null, sourceIp(who), null));
    }

    private boolean write(SecurityEvent event) {
        try {
            audit.recordNow(event);
            return true;
        }
        catch (RuntimeException ex) {
            log.error("Could not record {} of {} on the audit trail: {}", event.action(), event.actor().subject(),
                    ex.toString());
            return false;
        }
    }

    private static @Nullable String sourceIp(Authentication who) {
        if (who.getDetails() instanceof WebAuthenticationDetails details) {
            return details.getRemoteAddress();
        }
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                ? request.getRequest().getRemoteAddr() : null;
    }

    /** How the password came: the login form, or HTTP Basic on the API. */
    private static String channel() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                && request.getRequest().getRequestURI().equals(request.getRequest().getContextPath() + "/login")
                ? "form login" : "HTTP Basic";
    }
}
