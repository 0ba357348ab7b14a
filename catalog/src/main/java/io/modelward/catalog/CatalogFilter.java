package io.modelward.catalog;

import io.modelward.catalog.license.LicenseVerdict;
import org.jspecify.annotations.Nullable;

/**
 * Filters for the catalog list. {@code text} matches name, display name, description or owner; {@code verdict} and
 * {@code state} match a model when any of its versions matches. Null fields do not filter.
 */
public record CatalogFilter(@Nullable String text, @Nullable Task task, @Nullable LicenseVerdict verdict,
        @Nullable VersionState state) {

    public static final CatalogFilter ALL = new CatalogFilter(null, null, null, null);
}
