package io.modelward.portal.web;

import io.modelward.governance.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * Failures on portal pages: a page with the status and the precise reason. The upload page's XHR calls get a
 * ProblemDetail instead, which its script shows next to the file.
 */
@ControllerAdvice(basePackageClasses = WebErrorAdvice.class)
class WebErrorAdvice {

    @ExceptionHandler({ DataIntegrityViolationException.class, ObjectOptimisticLockingFailureException.class })
    Object conflict(RuntimeException ex, HttpServletRequest request) {
        return problem(ProblemException.conflict("concurrent-change", "Someone else changed the same thing at the "
                + "same time (e.g. registered the same name): reload and try again."), request);
    }

    @ExceptionHandler(ProblemException.class)
    Object problem(ProblemException ex, HttpServletRequest request) {
        if ("PUT".equals(request.getMethod())) {
            return ResponseEntity.status(ex.status()).body(io.modelward.portal.api.Problems.of(ex));
        }
        ModelAndView page = new ModelAndView("error");
        page.setStatus(HttpStatus.valueOf(ex.status()));
        page.addObject("status", ex.status());
        page.addObject("error", ex.title());
        page.addObject("message", ex.getMessage());
        return page;
    }
}
