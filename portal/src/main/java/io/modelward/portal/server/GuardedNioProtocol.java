package io.modelward.portal.server;

import org.apache.coyote.http11.Http11NioProtocol;

/** Tomcat's HTTP/1.1 NIO connector on a {@link GuardedEndpoint}. Tomcat creates it by its class name. */
public class GuardedNioProtocol extends Http11NioProtocol {

    public GuardedNioProtocol() {
        super(new GuardedEndpoint());
    }

    GuardedEndpoint guard() {
        return (GuardedEndpoint) getEndpoint();
    }
}
