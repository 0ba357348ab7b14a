package io.modelward.catalog;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Where a model version came from: the source, the exact revision, who fetched it and when, the checksum the upstream
 * publishes, the authors and the model card (Markdown).
 */
public record Provenance(
        @NotNull(message = "source type is required") SourceType sourceType,
        @Nullable @Size(max = 2000, message = "source URI must be at most 2000 characters") @Pattern(regexp = "\\S*", message = "source URI must not contain spaces") String sourceUri,
        @Nullable @Size(max = 200, message = "revision must be at most 200 characters") String revision,
        @Nullable Instant retrievedAt,
        @Nullable @Size(max = 200, message = "retrieved by must be at most 200 characters") String retrievedBy,
        @Nullable @Pattern(regexp = "[0-9a-fA-F]{64}", message = "upstream checksum must be a SHA-256: 64 hex digits") String upstreamSha256,
        @Nullable @Size(max = 1000, message = "authors must be at most 1000 characters") String authors,
        @Nullable @Size(max = 100_000, message = "the model card must be at most 100,000 characters") String modelCard) {

    public Provenance {
        sourceUri = blankToNull(sourceUri);
        revision = blankToNull(revision);
        retrievedBy = blankToNull(retrievedBy);
        upstreamSha256 = upstreamSha256 == null || upstreamSha256.isBlank() ? null
                : upstreamSha256.strip().toLowerCase(java.util.Locale.ROOT);
        authors = blankToNull(authors);
        modelCard = modelCard == null || modelCard.isBlank() ? null : modelCard;
    }

    public static Provenance uploaded() {
        return new Provenance(SourceType.UPLOAD, null, null, null, null, null, null, null);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
