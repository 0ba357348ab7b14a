package io.modelward.catalog;

import io.modelward.catalog.license.LicenseVerdict;
import org.jspecify.annotations.Nullable;

/** A row of the catalog list: the model and its newest version. */
public record ModelSummary(String name, String displayName, Task task, String owner, int versionCount,
        @Nullable String latestVersion, @Nullable VersionState latestState, @Nullable String latestLicense,
        @Nullable LicenseVerdict latestVerdict) {
}
