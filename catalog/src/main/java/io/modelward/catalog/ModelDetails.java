package io.modelward.catalog;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** A model with all its versions, newest first. */
public record ModelDetails(String name, String displayName, Task task, @Nullable String description, String owner,
        Instant createdAt, List<VersionDetails> versions) {
}
