package io.modelward.portal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;

/** Accounts of the test profile and small artifact files laid out like the real ones. */
public final class TestData {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private TestData() {
    }

    public static RequestPostProcessor as(String user) {
        return httpBasic(user, user + "-pw");
    }

    public static String unique(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    }

    /** A zip laid out like torch.jit.save output, with different bytes on every call. */
    public static byte[] torchScript() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("m/data.pkl", bytes("pickle"));
        entries.put("m/code/__torch__/net.py", bytes("def forward(self, x):\n  return x\n"));
        entries.put("m/nonce", bytes(unique("nonce")));
        return zip(entries);
    }

    public static byte[] zip(Map<String, byte[]> entries) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            return out.toByteArray();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String modelJson(String name) {
        return """
                {"name": "%s", "displayName": "Model %s", "task": "IMAGE_CLASSIFICATION", "description": "test"}
                """.formatted(name, name);
    }

    public static String versionJson(String version, String license) {
        return """
                {"version": "%s", "format": "TORCHSCRIPT", "license": "%s",
                 "provenance": {"sourceType": "HUGGING_FACE", "sourceUri": "https://huggingface.co/acme/m",
                                "revision": "abc123", "retrievedAt": "2026-10-01T10:00:00Z", "retrievedBy": "alice",
                                "authors": "ACME", "modelCard": "# Card\\n<script>alert('x')</script>\\n[x](javascript:alert(1))"},
                 "input": {"imageSize": 8, "resizeTo": 8, "grayscale": true, "mean": [0.5], "std": [0.5]}}
                """.formatted(version, license);
    }
}
