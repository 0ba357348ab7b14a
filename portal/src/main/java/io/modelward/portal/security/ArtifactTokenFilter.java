package io.modelward.portal.security;

import java.io.IOException;

import io.modelward.deployer.InternalTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates runtime pods on {@code /internal/**} by the deployer's artifact token (a bearer token derived from the
 * deployer's key, checked in constant time). Nothing else is accepted there: no session, no user credentials.
 */
final class ArtifactTokenFilter extends OncePerRequestFilter {

    static final String AUTHORITY = "RUNTIME_POD";

    private final InternalTokens tokens;
    private final ProblemResponses problems;

    ArtifactTokenFilter(InternalTokens tokens, ProblemResponses problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip() : null;
        if (!tokens.isArtifactToken(presented)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ModelWard artifacts\"");
            problems.write(request, response, HttpStatus.UNAUTHORIZED,
                    "Runtime pods fetch artifacts with the deployer's artifact token.");
            return;
        }
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "runtime-pod", null, AuthorityUtils.createAuthorityList(AUTHORITY)));
        chain.doFilter(request, response);
    }
}
