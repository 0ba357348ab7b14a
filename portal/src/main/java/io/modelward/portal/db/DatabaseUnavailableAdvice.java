package io.modelward.portal.db;

import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Map;

import io.modelward.portal.api.Problems;
import io.modelward.portal.gateway.AuditReadiness;
import jakarta.servlet.http.HttpServletRequest;
import org.hibernate.exception.JDBCConnectionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.dao.UncategorizedDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.ModelAndView;

/**
 * While the database is away, every endpoint answers 503 in its own shape, never 500: an RFC 9457 problem of type
 * {@code urn:modelward:problem:database-unavailable} on {@code /api} (and the pages' JSON calls), {@code {"error": ...}}
 * on the inference protocols {@code /v1} and {@code /v2}, and the error page on the portal's pages. It runs before the
 * other advices but takes only what means "the database cannot be reached": connection failures, lost connections,
 * transactions that could not begin or end for that reason. Conflicts and optimistic locking stay theirs (409).
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseUnavailableAdvice {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableAdvice.class);

    static final String MESSAGE = "The portal's database cannot be reached right now. Try again shortly.";
    /** Seconds a client should wait before trying again. */
    static final String RETRY_AFTER = "5";

    @ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
        RecoverableDataAccessException.class, QueryTimeoutException.class, JDBCConnectionException.class })
    Object unavailable(Exception ex, HttpServletRequest request, HandlerMethod handler) {
        log.debug("{} {}: 503, the database is unavailable: {}", request.getMethod(), request.getRequestURI(),
                ex.toString());
        return answer(request, handler);
    }

    private final AuditReadiness readiness;

    DatabaseUnavailableAdvice(AuditReadiness readiness) {
        this.readiness = readiness;
    }

    /**
     * A transaction that could not begin, commit or roll back, or a failure the driver did not classify (e.g. a
     * rollback on a connection the server closed as it shut down): 503 when the database is why (the failure says so,
     * or the database cannot be reached now), else as before.
     */
    @ExceptionHandler({ TransactionException.class, UncategorizedDataAccessException.class })
    Object transaction(RuntimeException ex, HttpServletRequest request, HandlerMethod handler) {
        if (!isOutage(ex) && readiness.readyNow()) {
            throw ex;
        }
        return unavailable(ex, request, handler);
    }

    /** Whether a failure, or one of its causes, says the database cannot be reached. */
    static boolean isOutage(@Nullable Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessResourceException
                    || cause instanceof RecoverableDataAccessException || cause instanceof JDBCConnectionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException || cause instanceof SQLRecoverableException
                    || cause instanceof SQLException sql && connectionLost(sql.getSQLState())
                    // the pool's closed connection refusing a rollback or commit (it says no SQL state)
                    || cause instanceof org.hibernate.TransactionException && cause.getCause() instanceof SQLException closed
                            && (closed.getSQLState() == null || connectionLost(closed.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean connectionLost(@Nullable String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
    }

    private static Object answer(HttpServletRequest request, HandlerMethod handler) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/v1/") || path.startsWith("/v2/") || path.equals("/v2")) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", RETRY_AFTER)
                    .contentType(MediaType.APPLICATION_JSON).body(Map.of("error", MESSAGE));
        }
        if (path.startsWith("/api/") || "PUT".equals(request.getMethod()) || json(handler)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, MESSAGE);
            problem.setType(Problems.type("database-unavailable"));
            problem.setTitle("Database unavailable");
            problem.setInstance(URI.create(request.getRequestURI()));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", RETRY_AFTER)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        ModelAndView page = new ModelAndView("error");
        page.setStatus(HttpStatus.SERVICE_UNAVAILABLE);
        page.addObject("status", 503);
        page.addObject("error", "Database unavailable");
        page.addObject("message", "The portal's database cannot be reached right now, so this page cannot be shown. "
                + "Try again shortly.");
        return page;
    }

    private static boolean json(HandlerMethod handler) {
        return handler.hasMethodAnnotation(ResponseBody.class)
                || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ResponseBody.class);
    }
}
