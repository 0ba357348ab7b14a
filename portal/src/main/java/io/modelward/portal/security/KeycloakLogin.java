package io.modelward.portal.security;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * Single sign-on through the hospital's Keycloak. Browsers log in with the OIDC authorization-code flow, and logging
 * out ends the Keycloak session too (RP-initiated logout); programs send Keycloak-issued bearer JWTs. Both get their
 * roles from the realm roles in {@code realm_access.roles}.
 */
final class KeycloakLogin implements LoginMethod {

    static final String REGISTRATION_ID = "keycloak";

    private final KeycloakProperties keycloak;
    private final JwtDecoder jwtDecoder;
    private final ClientRegistrationRepository registrations;
    private final AuthenticationFailureHandler failures;

    /** @param failures where a login that did not complete goes: recorded on the trail, then the login page */
    KeycloakLogin(KeycloakProperties keycloak, JwtDecoder jwtDecoder, AuthenticationFailureHandler failures) {
        this.keycloak = keycloak;
        this.jwtDecoder = jwtDecoder;
        this.failures = failures;
        this.registrations = new InMemoryClientRegistrationRepository(registration(keycloak));
    }

    ClientRegistrationRepository registrations() {
        return registrations;
    }

    /**
     * The portal's client, with Keycloak's well-known endpoint paths under the issuer. Built without discovery, so the
     * portal starts (and serves its API from cached keys) while Keycloak is briefly away.
     */
    static ClientRegistration registration(KeycloakProperties keycloak) {
        return ClientRegistration.withRegistrationId(REGISTRATION_ID)
                .clientName("Hospital single sign-on")
                .clientId(keycloak.clientId())
                .clientSecret(keycloak.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .scope("openid", "profile", "email")
                .issuerUri(keycloak.issuer())
                .authorizationUri(keycloak.endpoint("auth"))
                .tokenUri(keycloak.endpoint("token"))
                .userInfoUri(keycloak.endpoint("userinfo"))
                .jwkSetUri(keycloak.endpoint("certs"))
                .userNameAttributeName(KeycloakTokens.USER_NAME)
                .providerConfigurationMetadata(Map.of("end_session_endpoint", keycloak.endpoint("logout")))
                .build();
    }

    @Override
    public void configureApi(HttpSecurity http, ProblemResponses problems) throws Exception {
        http.oauth2ResourceServer(server -> server
                .bearerTokenResolver(new BearerTokens())
                .jwt(jwt -> jwt.decoder(jwtDecoder).jwtAuthenticationConverter(KeycloakTokens.authentication()))
                .authenticationEntryPoint(problems)
                .accessDeniedHandler(problems));
    }

    @Override
    public void configureBrowser(HttpSecurity http) throws Exception {
        OidcClientInitiatedLogoutSuccessHandler endSession = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        endSession.setPostLogoutRedirectUri("{baseUrl}/login?logout");
        http.oauth2Login(login -> login
                        .clientRegistrationRepository(registrations)
                        .loginPage("/login")
                        .userInfoEndpoint(userInfo -> userInfo.oidcUserService(userService()))
                        .defaultSuccessUrl("/models", false)
                        .failureHandler(failures)
                        .permitAll())
                .logout(logout -> logout.logoutSuccessHandler(endSession).permitAll())
                // straight to Keycloak: the login page is only where a logout lands
                .exceptionHandling(ex -> ex.authenticationEntryPoint(
                        new LoginUrlAuthenticationEntryPoint("/oauth2/authorization/" + REGISTRATION_ID)));
    }

    /**
     * Realm roles from the ID token or userinfo, where the realm puts them there (a "realm roles" mapper with
     * "add to ID token"); otherwise from the access token, checked like an API token.
     */
    private OAuth2UserService<OidcUserRequest, OidcUser> userService() {
        OidcUserService delegate = new OidcUserService();
        return request -> {
            OidcUser user = delegate.loadUser(request);
            Map<String, Object> claims = user.getClaims();
            if (!KeycloakRoles.present(claims)) {
                claims = jwtDecoder.decode(request.getAccessToken().getTokenValue()).getClaims();
            }
            Set<GrantedAuthority> authorities = KeycloakRoles.authorities(claims);
            String nameKey = user.getClaims().get(KeycloakTokens.USER_NAME) instanceof String ? KeycloakTokens.USER_NAME
                    : "sub";
            return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), nameKey);
        };
    }

    @Override
    public String formTargets() {
        java.net.URI issuer = java.net.URI.create(keycloak.issuer());
        return issuer.getScheme() + "://" + issuer.getRawAuthority();
    }

    @Override
    public boolean sso() {
        return true;
    }

    @Override
    public @Nullable String issuer() {
        return keycloak.issuer();
    }
}
