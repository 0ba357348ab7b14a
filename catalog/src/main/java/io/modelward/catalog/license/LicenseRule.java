package io.modelward.catalog.license;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** One row of the license policy, as shown to people and the API. */
public record LicenseRule(String spdxId, String name, LicenseVerdict verdict, @Nullable String note, String updatedBy,
        Instant updatedAt) {
}
