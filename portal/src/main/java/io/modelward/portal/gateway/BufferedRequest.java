package io.modelward.portal.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/** A request whose body has been received in full into memory; it is served as an ordinary, synchronous request. */
final class BufferedRequest extends HttpServletRequestWrapper {

    private final byte[] body;
    private final int size;

    BufferedRequest(HttpServletRequest request, byte[] body, int size) {
        super(request);
        this.body = body;
        this.size = size;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body, 0, size);
        return new ServletInputStream() {

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return in.read(buffer, offset, length);
            }

            @Override
            public long transferTo(java.io.OutputStream out) throws IOException {
                return in.transferTo(out);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new IllegalStateException("The body has been read already");
            }
        };
    }

    @Override
    public int getContentLength() {
        return size;
    }

    @Override
    public long getContentLengthLong() {
        return size;
    }

    /** Served as an ordinary request: nothing downstream sees the intake's asynchronous mode. */
    @Override
    public boolean isAsyncStarted() {
        return false;
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }
}
