package io.modelward.portal.server;

import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The portal's Tomcat connector guards its connections per client ({@link GuardedEndpoint}). */
@Configuration(proxyBeanMethods = false)
class ConnectionGuardConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> guardedConnector(ConnectionProperties settings) {
        return factory -> {
            factory.setProtocol(GuardedNioProtocol.class.getName());
            factory.addProtocolHandlerCustomizers((TomcatProtocolHandlerCustomizer<GuardedNioProtocol>) protocol ->
                    protocol.guard().guard(settings));
        };
    }
}
