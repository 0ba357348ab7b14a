package io.modelward.portal.gateway;

import jakarta.servlet.DispatcherType;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's place in the servlet filter chain. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    /** The body intake runs right after the security filters, which authenticate the caller from the headers alone. */
    @Bean
    FilterRegistrationBean<BodyIntake> bodyIntake(InferenceGateway gateway, ErrorBodies errors, Callers callers,
            GatewayProperties properties) {
        FilterRegistrationBean<BodyIntake> registration = new FilterRegistrationBean<>(
                new BodyIntake(gateway, errors, callers, properties));
        registration.addUrlPatterns("/v1/*", "/v2/*", "/api/models/*");
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
        registration.setAsyncSupported(true);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        return registration;
    }
}
