package io.modelward.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.modelward.catalog.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {

    @TempDir
    Path dir;

    @Test
    void hashesWhileStagingAndPromotesToTheContentAddress() throws IOException {
        ArtifactStore store = new ArtifactStore(dir);
        byte[] content = Fixtures.bytes("weights");
        StagedArtifact staged = store.stage(new ByteArrayInputStream(content), 100);
        assertThat(staged.sha256()).isEqualTo(Fixtures.sha256(content));
        assertThat(staged.size()).isEqualTo(content.length);
        assertThat(store.promote(staged)).isTrue();
        assertThat(store.path(staged.sha256())).hasBinaryContent(content);
        assertThat(store.path(staged.sha256()).toString()).contains("sha256/" + staged.sha256().substring(0, 2) + "/");
        assertThat(dir.resolve("staging")).isEmptyDirectory();
    }

    @Test
    void keepsOneCopyOfIdenticalContent() throws IOException {
        ArtifactStore store = new ArtifactStore(dir);
        byte[] content = Fixtures.bytes("same");
        assertThat(store.promote(store.stage(new ByteArrayInputStream(content), 100))).isTrue();
        assertThat(store.promote(store.stage(new ByteArrayInputStream(content), 100))).isFalse();
        assertThat(dir.resolve("staging")).isEmptyDirectory();
    }

    @Test
    void removesThePartialFileWhenTheClientBreaksOff() {
        ArtifactStore store = new ArtifactStore(dir);
        InputStream broken = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ > 1000) {
                    throw new IOException("connection reset");
                }
                return 1;
            }
        };
        assertThatThrownBy(() -> store.stage(broken, 1 << 20)).isInstanceOf(IOException.class);
        assertThat(dir.resolve("staging")).isEmptyDirectory();
    }

    @Test
    void refusesAnAddressThatIsNotASha256() {
        ArtifactStore store = new ArtifactStore(dir);
        assertThatThrownBy(() -> store.path("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.exists(dir.resolve("sha256"))).isTrue();
    }
}
