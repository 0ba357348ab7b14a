package io.modelward.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import io.modelward.runtime.engine.BadInputException;

/** Just enough of multipart/form-data to take the first file part of an upload form. */
final class Multipart {

    private Multipart() {
    }

    static byte[] firstPart(byte[] body, String contentType) {
        String boundary = null;
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                boundary = p.substring(9).replace("\"", "");
            }
        }
        if (boundary == null || boundary.isEmpty()) {
            throw new BadInputException("The multipart request has no boundary.");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int start = indexOf(body, delimiter, 0);
        while (start >= 0) {
            int headersStart = start + delimiter.length + 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                break;
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1)
                    .toLowerCase(Locale.ROOT);
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd + 4);
            if (next < 0) {
                break;
            }
            if (headers.contains("filename=") || headers.contains("name=\"file\"")
                    || headers.contains("name=\"image\"")) {
                return Arrays.copyOfRange(body, headersEnd + 4, next);
            }
            start = next + 2;
        }
        throw new BadInputException("The multipart request has no file part.");
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
