package io.modelward.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import io.modelward.catalog.Fixtures;
import io.modelward.governance.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipInspectorTest {

    @TempDir
    Path dir;

    final ZipInspector inspector = new ZipInspector(3, 4L << 20, 100);

    @Test
    void listsTheFilesOfASafeArchive() throws IOException {
        assertThat(inspector.inspect(write(Map.of("a/b.txt", text("hello"))), "x")).containsExactly("a/b.txt");
    }

    @Test
    void rejectsAnArchiveThatUnpacksPastTheLimitEvenWhenItsRatioIsHonest() throws IOException {
        byte[] noise = new byte[1536 * 1024];
        new Random(7).nextBytes(noise);
        Path zip = write(Map.of("a", noise, "b", noise, "c", noise));
        assertProblem(zip, "unpacks to more than 4 MiB");
    }

    @Test
    void rejectsAnArchiveWithTooManyEntries() throws IOException {
        assertProblem(write(Map.of("a", text("1"), "b", text("2"), "c", text("3"), "d", text("4"))),
                "more than 3 entries");
    }

    @Test
    void rejectsBackslashAndDriveLetterPaths() throws IOException {
        assertProblem(write(Map.of("..\\evil.dll", text("x"))), "escapes");
        assertProblem(write(Map.of("C:/Windows/evil.dll", text("x"))), "escapes");
    }

    @Test
    void rejectsATruncatedArchive() throws IOException {
        byte[] zip = Fixtures.zip(Map.of("a.txt", text("hello world")));
        Path file = dir.resolve("cut.zip");
        Files.write(file, java.util.Arrays.copyOf(zip, zip.length / 2));
        assertProblem(file, "not a readable zip");
    }

    private void assertProblem(Path zip, String detail) {
        assertThatThrownBy(() -> inspector.inspect(zip, "x")).isInstanceOfSatisfying(ProblemException.class, ex -> {
            assertThat(ex.status()).isEqualTo(422);
            assertThat(ex.getMessage()).contains(detail);
        });
    }

    private Path write(Map<String, byte[]> entries) throws IOException {
        Path file = Files.createTempFile(dir, "a", ".zip");
        Files.write(file, Fixtures.zip(new LinkedHashMap<>(entries)));
        return file;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
