package io.modelward.portal.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The request body as it streams to the runtime: hashed and counted, and cut off past the limit. */
final class HashedBody extends InputStream {

    private final DigestInputStream in;
    private final long limit;
    private long size;
    private boolean overflowed;

    HashedBody(InputStream body, long limit) {
        try {
            this.in = new DigestInputStream(body, MessageDigest.getInstance("SHA-256"));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            size += n;
            if (size > limit) {
                overflowed = true;
                throw new IOException("request body over the limit of " + limit + " bytes");
            }
        }
        return n;
    }

    /** Reads what the runtime left unread, so the hash covers the whole body (up to the limit). */
    void drain() {
        byte[] buffer = new byte[8192];
        try {
            while (!overflowed && read(buffer, 0, buffer.length) >= 0) {
                // hashing
            }
        }
        catch (IOException ex) {
            // the client went away or the body is over the limit: the hash covers what arrived
        }
    }

    long size() {
        return size;
    }

    boolean overflowed() {
        return overflowed;
    }

    String hex() {
        return HexFormat.of().formatHex(in.getMessageDigest().digest());
    }
}
