package io.modelward.catalog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.modelward.governance.Actor;
import io.modelward.governance.Role;

/** Test data: actors, commands and artifact files built the way the real tools lay them out. */
public final class Fixtures {

    public static final Actor ALICE = Actor.of("alice", Role.RESEARCHER);
    public static final Actor ERIN = Actor.of("erin", Role.RESEARCHER);
    public static final Actor BOB = Actor.of("bob", Role.MODEL_APPROVER);
    public static final Actor DAN = Actor.of("dan", Role.MODEL_APPROVER);
    public static final Actor CAROL = Actor.of("carol", Role.AUDITOR);
    public static final Actor ADMIN = Actor.of("root", Role.ADMIN);
    /** An admin who is also an approver: may upload to anyone's draft, so four eyes must count uploads. */
    public static final Actor BOSS = Actor.of("boss", Role.ADMIN, Role.MODEL_APPROVER);
    /** A researcher who is also an approver: four eyes must still stop her on her own versions. */
    public static final Actor MALLORY = Actor.of("mallory", Role.RESEARCHER, Role.MODEL_APPROVER);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Fixtures() {
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    }

    public static RegisterModel model(String name) {
        return new RegisterModel(name, "Model " + name, Task.IMAGE_CLASSIFICATION, "A test model");
    }

    public static RegisterVersion version(String label, String license) {
        return new RegisterVersion(label, ModelFormat.TORCHSCRIPT, license, new Provenance(SourceType.HUGGING_FACE,
                "https://huggingface.co/acme/digits", "3f2a9c1", java.time.Instant.parse("2026-10-01T10:00:00Z"),
                "alice", null, "ACME Lab", "# Digits\nA small CNN."), new ImageInputSpec(8, 8, true, java.util.List.of(0.5),
                        java.util.List.of(0.5)));
    }

    /**
     * A zip laid out like a file written by torch.jit.save. Each call gives different bytes, so tests that check what
     * the content-addressed store holds do not see each other's files.
     */
    public static byte[] torchScript() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("digits/extra/nonce", bytes(uniqueName("nonce")));
        entries.put("digits/data.pkl", bytes("\u0080\u0002pickled-module"));
        entries.put("digits/code/__torch__/model.py", bytes("class Net(Module):\n  def forward(self, x):\n    return x\n"));
        entries.put("digits/constants.pkl", bytes("\u0080\u0002()"));
        entries.put("digits/data/0", new byte[2048]);
        entries.put("digits/version", bytes("3\n"));
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

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
