package io.modelward.catalog.store;

import java.nio.file.Path;

/** Bytes received into the store's staging area, not yet addressed by content. */
public record StagedArtifact(Path file, String sha256, long size) {
}
