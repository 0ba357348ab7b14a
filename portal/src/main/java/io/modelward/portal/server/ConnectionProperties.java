package io.modelward.portal.server;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What one client may hold of the portal's HTTP connections, under {@code modelward.connections}.
 *
 * @param headerTimeout how long a request's line and headers may take to arrive, from their first byte; a connection
 *        still sending them then is closed
 * @param maxPerClient connections open at once from one address (0: no limit); behind a reverse proxy that is the
 *        proxy's address
 */
@ConfigurationProperties("modelward.connections")
public record ConnectionProperties(@DefaultValue("10s") Duration headerTimeout,
        @DefaultValue("1000") int maxPerClient) {
}
