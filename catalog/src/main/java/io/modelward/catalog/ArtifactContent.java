package io.modelward.catalog;

import java.io.IOException;
import java.io.InputStream;

/** An artifact's facts and a stream of its bytes; close it to release the file. */
public record ArtifactContent(ArtifactInfo info, InputStream stream) implements AutoCloseable {

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
