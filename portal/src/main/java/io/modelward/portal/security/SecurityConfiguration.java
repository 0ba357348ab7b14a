package io.modelward.portal.security;

import java.nio.file.Path;
import java.util.List;

import io.modelward.governance.Role;
import io.modelward.portal.PortalProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Two filter chains. {@code /api/**} is stateless: every request authenticates itself (HTTP Basic with the local
 * accounts for now), no session or cookie is ever used, so CSRF cannot apply; failures are ProblemDetails, never a
 * redirect. Everything else is the browser portal: form login, a session, CSRF on every form. Only health probes and
 * static assets are public.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration implements WebMvcConfigurer {

    /** Roles that may use the portal's catalog pages and API. */
    static final String[] PORTAL_ROLES = { Role.RESEARCHER.name(), Role.MODEL_APPROVER.name(), Role.AUDITOR.name(),
            Role.ADMIN.name() };

    private static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ProblemResponses problems) throws Exception {
        return http.securityMatcher("/api/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().hasAnyRole(PORTAL_ROLES))
                .httpBasic(basic -> basic.realmName("ModelWard").authenticationEntryPoint(problems))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new CrossSiteApiGuard(problems), BasicAuthenticationFilter.class)
                .exceptionHandling(ex -> ex.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain portalChain(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/webjars/**", "/css/**", "/js/**", "/favicon.ico", "/login", "/error")
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").hasRole(Role.ADMIN.name())
                        .requestMatchers("/approvals/**").hasRole(Role.MODEL_APPROVER.name())
                        .anyRequest().hasAnyRole(PORTAL_ROLES))
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/models", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CSP)))
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    @ConditionalOnProperty(name = "modelward.security.local.enabled", havingValue = "true", matchIfMissing = true)
    InMemoryUserDetailsManager localAccounts(LocalAccountProperties properties, PortalProperties portal,
            PasswordEncoder encoder) {
        return LocalAccounts.userDetails(properties, accountsFile(properties, portal), encoder);
    }

    static Path accountsFile(LocalAccountProperties properties, PortalProperties portal) {
        return properties.accountsFile() != null ? properties.accountsFile()
                : portal.dataDir().resolve("local-accounts.properties");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new ActorArgumentResolver());
    }
}
