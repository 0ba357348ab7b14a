package io.modelward.portal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guarded connector on a real Tomcat with a trivial servlet: a client's connections past its limit are closed as
 * they are accepted while its others and other clients' stay served; a request whose headers trickle past the header
 * timeout loses its connection, though every byte came within Tomcat's own timeout.
 */
class GuardedEndpointTest {

    Tomcat tomcat;
    int port;
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("guarded-tomcat").toString());
        Connector connector = new Connector(GuardedNioProtocol.class.getName());
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        ((GuardedNioProtocol) connector.getProtocolHandler()).guard()
                .guard(new ConnectionProperties(Duration.ofSeconds(2), 5));
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "hello", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write("hello");
            }
        });
        context.addServletMappingDecoded("/", "hello");
        tomcat.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        tomcat.stop();
        tomcat.destroy();
    }

    @Test
    void aClientsConnectionsPastItsLimitAreClosedWhileItsOthersAndOtherClientsAreServed() throws Exception {
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            idle.add(open("127.0.6.1"));
        }
        Socket over = open("127.0.6.1");
        assertThat(closedByServer(over, 30_000)).as("the sixth connection is closed").isTrue();
        assertThat(get(idle.getFirst())).as("an earlier one is served").startsWith("HTTP/1.1 200");
        assertThat(get(open("127.0.6.2"))).as("another client is served").startsWith("HTTP/1.1 200");
    }

    @Test
    void headersTrickledPastTheHeaderTimeoutLoseTheirConnection() throws Exception {
        Socket slow = open("127.0.6.3");
        OutputStream out = slow.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean closed = false;
        while (!closed && System.nanoTime() < deadline) {
            try {
                out.write('a');
                out.flush();
            }
            catch (IOException ex) {
                closed = true;
                break;
            }
            closed = closedByServer(slow, 500);
        }
        assertThat(closed).as("the connection was closed").isTrue();
        assertThat(get(open("127.0.6.4"))).startsWith("HTTP/1.1 200");
    }

    private Socket open(String address) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        sockets.add(socket);
        return socket;
    }

    /** Whether the server closes the connection within the time (end of stream or a reset; false on time-out). */
    private static boolean closedByServer(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return socket.getInputStream().read() == -1;
        }
        catch (SocketTimeoutException open) {
            return false;
        }
        catch (SocketException reset) {
            return true;
        }
    }

    private static String get(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
