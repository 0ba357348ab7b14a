package io.modelward.portal.audit;

import jakarta.servlet.http.HttpServletRequest;
import io.modelward.governance.ProblemException;
import io.modelward.portal.api.Problems;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * Failures of the audit pages, exports and API: an RFC 9457 problem for the JSON endpoints and for programs (a request
 * that authenticates itself with an {@code Authorization} header, as a program fetching an export does), the error
 * page with the status and the precise reason for the pages and downloads in a browser.
 */
@ControllerAdvice(basePackageClasses = AuditErrorAdvice.class)
class AuditErrorAdvice {

    @ExceptionHandler(ProblemException.class)
    Object problem(ProblemException ex, HandlerMethod handler, HttpServletRequest request) {
        if (json(handler) || request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            return ResponseEntity.status(ex.status()).body(Problems.of(ex));
        }
        ModelAndView page = new ModelAndView("error");
        page.setStatus(HttpStatus.valueOf(ex.status()));
        page.addObject("status", ex.status());
        page.addObject("error", ex.title());
        page.addObject("message", ex.getMessage());
        return page;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    Object mismatch(MethodArgumentTypeMismatchException ex, HandlerMethod handler, HttpServletRequest request) {
        return problem(ProblemException.invalid("invalid-parameter", ex.getName() + ": '" + shown(ex.getValue())
                + "' is not a whole number"), handler, request);
    }

    private static boolean json(HandlerMethod handler) {
        return handler.hasMethodAnnotation(ResponseBody.class)
                || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ResponseBody.class);
    }

    private static String shown(Object value) {
        String text = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        return text.length() <= 40 ? text : text.substring(0, 39) + "…";
    }
}
