package io.modelward.catalog;

import java.time.Instant;

import io.modelward.catalog.license.LicenseVerdict;
import org.jspecify.annotations.Nullable;

/** One step of a version's approval history. */
public record TransitionInfo(@Nullable VersionState from, VersionState to, String actor, @Nullable String reason,
        @Nullable LicenseVerdict licenseVerdict, Instant at) {
}
