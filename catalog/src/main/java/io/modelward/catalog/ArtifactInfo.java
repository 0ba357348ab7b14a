package io.modelward.catalog;

import java.time.Instant;

/** A stored artifact of a version. */
public record ArtifactInfo(ArtifactKind kind, String fileName, String sha256, long sizeBytes, String uploadedBy,
        Instant uploadedAt) {
}
