package io.modelward.portal.gateway;

import java.io.IOException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/** A response that notes when its connection broke while the answer was being written. */
final class DeliveryWatch extends HttpServletResponseWrapper {

    private volatile boolean broken;
    private ServletOutputStream out;

    DeliveryWatch(HttpServletResponse response) {
        super(response);
    }

    boolean broken() {
        return broken;
    }

    /** Sends what is buffered now, so a broken connection shows here and not after the request has ended. */
    void deliver() {
        try {
            getResponse().flushBuffer();
        }
        catch (IOException ex) {
            broken = true;
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (out == null) {
            ServletOutputStream target = super.getOutputStream();
            out = new ServletOutputStream() {

                @Override
                public void write(int b) throws IOException {
                    try {
                        target.write(b);
                    }
                    catch (IOException ex) {
                        broken = true;
                        throw ex;
                    }
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    try {
                        target.write(bytes, offset, length);
                    }
                    catch (IOException ex) {
                        broken = true;
                        throw ex;
                    }
                }

                @Override
                public void flush() throws IOException {
                    try {
                        target.flush();
                    }
                    catch (IOException ex) {
                        broken = true;
                        throw ex;
                    }
                }

                @Override
                public boolean isReady() {
                    return target.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    target.setWriteListener(listener);
                }
            };
        }
        return out;
    }

    @Override
    public void flushBuffer() throws IOException {
        try {
            super.flushBuffer();
        }
        catch (IOException ex) {
            broken = true;
            throw ex;
        }
    }
}
