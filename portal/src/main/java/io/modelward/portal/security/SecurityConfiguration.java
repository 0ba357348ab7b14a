package io.modelward.portal.security;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import io.modelward.deployer.InternalTokens;
import io.modelward.governance.Role;
import io.modelward.portal.PortalProperties;
import io.modelward.portal.gateway.Callers;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The filter chains. The API ({@code /api/**} and the inference protocols {@code /v1/**}, {@code /v2/**}) is
 * stateless: every request authenticates itself (a Keycloak bearer JWT, or HTTP Basic with the local accounts of the
 * embedded default), no session or cookie is ever used, so CSRF cannot apply; failures are 401/403 with a body, never a
 * redirect. Programs fetch the OpenAPI document and the audit exports on the same terms. Everything else is the browser
 * portal: a login (Keycloak SSO or a local form), a session, CSRF on every form. Only health probes, the login page
 * and static assets are public.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration implements WebMvcConfigurer {

    /** Roles that may use the portal's catalog pages and API. */
    static final String[] PORTAL_ROLES = { Role.RESEARCHER.name(), Role.MODEL_APPROVER.name(), Role.AUDITOR.name(),
            Role.ADMIN.name() };

    /** Roles that may call the inference protocols. */
    static final String[] INFERENCE_ROLES = { Role.INFERENCE_CLIENT.name(), Role.RESEARCHER.name() };

    private static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    static String contentSecurityPolicy(LoginMethod login) {
        return login.formTargets().isEmpty() ? CSP : CSP + " " + login.formTargets();
    }

    /**
     * No Micrometer observation around each security filter, authentication and authorization: nothing here consumes
     * them (no tracing), and on the gateway's hot path they were about a seventh of the portal's CPU. The HTTP
     * server's own observations are off too (application.properties), as no metrics endpoint is exposed.
     */
    @Bean
    static SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Spring Security's strict firewall, with a faster check of header values that accepts exactly the same. */
    @Bean
    static HttpFirewall firewall() {
        return HeaderValues.firewall();
    }

    /** Runtime pods fetching approved model files: the deployer's artifact token, and nothing else. */
    @Bean
    @Order(0)
    SecurityFilterChain internalChain(HttpSecurity http, InternalTokens tokens, ProblemResponses problems)
            throws Exception {
        return http.securityMatcher("/internal/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().hasAuthority(ArtifactTokenFilter.AUTHORITY))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .addFilterAfter(new ArtifactTokenFilter(tokens, problems), HeaderWriterFilter.class)
                .exceptionHandling(ex -> ex.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, LoginMethod login, ProblemResponses problems) throws Exception {
        http.securityMatcher("/api/**", "/v1/**", "/v2/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.POST, "/api/models/*/classify").hasAnyRole(INFERENCE_ROLES)
                        .requestMatchers("/api/**").hasAnyRole(PORTAL_ROLES)
                        .anyRequest().hasAnyRole(INFERENCE_ROLES));
        return stateless(http, login, problems);
    }

    /**
     * Programs fetching what the browser portal serves: the OpenAPI document and the audit exports. A request for them
     * that carries an {@code Authorization} header authenticates itself as on the API, with the same roles as in the
     * browser, and a refusal is a 401 or 403 problem, never a redirect; without the header it is a browser's, and the
     * portal chain (session, login page) answers it as before.
     */
    @Bean
    @Order(2)
    SecurityFilterChain programChain(HttpSecurity http, LoginMethod login, ProblemResponses problems)
            throws Exception {
        http.securityMatcher(new AndRequestMatcher(new OrRequestMatcher(Arrays.stream(PROGRAM_PATHS)
                        .map(PathPatternRequestMatcher.withDefaults()::matcher).toArray(RequestMatcher[]::new)),
                        request -> request.getHeader(HttpHeaders.AUTHORIZATION) != null))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/audit/**").hasAnyRole(AUDIT_ROLES)
                        .anyRequest().hasAnyRole(PORTAL_ROLES));
        return stateless(http, login, problems);
    }

    /** What the browser portal serves that programs may fetch too ({@link #programChain}). */
    static final String[] PROGRAM_PATHS = { "/v3/api-docs", "/v3/api-docs/**", "/audit/export.*" };

    /** Roles that may read, check and export the audit trail. */
    static final String[] AUDIT_ROLES = { Role.AUDITOR.name(), Role.ADMIN.name() };

    /** No session or cookie, so no CSRF; failures answered with a body, never a redirect; the login method's scheme. */
    private static SecurityFilterChain stateless(HttpSecurity http, LoginMethod login, ProblemResponses problems)
            throws Exception {
        http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .addFilterAfter(new CrossSiteApiGuard(problems), HeaderWriterFilter.class)
                .exceptionHandling(ex -> ex.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        login.configureApi(http, problems);
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain portalChain(HttpSecurity http, LoginMethod login, SecurityTrail trail) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/webjars/**", "/css/**", "/js/**", "/favicon.ico", "/login", "/error")
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").hasRole(Role.ADMIN.name())
                        .requestMatchers("/approvals/**").hasRole(Role.MODEL_APPROVER.name())
                        .requestMatchers("/audit/**").hasAnyRole(AUDIT_ROLES)
                        .anyRequest().hasAnyRole(PORTAL_ROLES))
                .exceptionHandling(ex -> ex.accessDeniedHandler(trail.pages()))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy(login))));
        login.configureBrowser(http);
        return http.build();
    }

    /** Who is calling, for the gateway's refusals before a controller runs. */
    @Bean
    static Callers callers() {
        return Actors::current;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    static Path accountsFile(LocalAccountProperties properties, PortalProperties portal) {
        return properties.accountsFile() != null ? properties.accountsFile()
                : portal.dataDir().resolve("local-accounts.properties");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new ActorArgumentResolver());
    }

    /** The embedded default: local accounts. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "modelward.security.keycloak.enabled", havingValue = "false", matchIfMissing = true)
    static class Local {

        @Bean
        LoginMethod localLogin() {
            return new LocalLogin();
        }

        @Bean
        LoginThrottle loginThrottle(LocalAccountProperties properties) {
            return new LoginThrottle(properties.lockout(), Clock.systemUTC());
        }

        /** The local accounts, each locked for a while after repeated failed logins. */
        @Bean
        UserDetailsService localAccounts(LocalAccountProperties properties, PortalProperties portal,
                PasswordEncoder encoder, LoginThrottle throttle) {
            return throttle.guard(LocalAccounts.userDetails(properties, accountsFile(properties, portal), encoder));
        }
    }

    /** Single sign-on through the hospital's Keycloak; refuses to start on incomplete settings. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "modelward.security.keycloak.enabled", havingValue = "true")
    static class Keycloak {

        @Bean
        JwtDecoder keycloakJwtDecoder(KeycloakProperties keycloak) {
            List<String> problems = keycloak.problems();
            if (!problems.isEmpty()) {
                throw new IllegalStateException("Keycloak single sign-on is enabled but not usable:\n  - "
                        + String.join("\n  - ", problems));
            }
            return KeycloakTokens.decoder(keycloak);
        }

        @Bean
        KeycloakLogin keycloakLogin(KeycloakProperties keycloak, JwtDecoder keycloakJwtDecoder, SecurityTrail trail) {
            return new KeycloakLogin(keycloak, keycloakJwtDecoder, trail.ssoFailures("/login?error"));
        }

        @Bean
        ClientRegistrationRepository keycloakClientRegistrations(KeycloakLogin keycloakLogin) {
            return keycloakLogin.registrations();
        }
    }
}
