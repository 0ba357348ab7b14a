package io.modelward.portal.security;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The API is stateless and so has no CSRF token; but a browser that once cached Basic credentials for the portal would
 * attach them to a cross-site form post. Browsers mark such requests with {@code Sec-Fetch-Site: cross-site}; this
 * guard refuses every state-changing API request so marked. Programs (curl, clients) do not send the header.
 */
final class CrossSiteApiGuard extends OncePerRequestFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final ProblemResponses problems;

    CrossSiteApiGuard(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!SAFE.contains(request.getMethod()) && "cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
            problems.write(request, response, HttpStatus.FORBIDDEN,
                    "Cross-site browser requests may not change anything through the API.");
            return;
        }
        chain.doFilter(request, response);
    }
}
