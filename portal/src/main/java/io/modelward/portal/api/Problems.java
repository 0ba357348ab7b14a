package io.modelward.portal.api;

import java.net.URI;

import io.modelward.governance.ProblemException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problems from ModelWard's own failures. */
public final class Problems {

    private Problems() {
    }

    public static ProblemDetail of(ProblemException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(ex.status()), ex.getMessage());
        problem.setType(type(ex.type()));
        problem.setTitle(ex.title());
        return problem;
    }

    public static URI type(String slug) {
        return URI.create("urn:modelward:problem:" + slug);
    }
}
