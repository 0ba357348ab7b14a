/**
 * The model catalog: models, versions, artifacts, provenance and approvals. {@link io.modelward.catalog.CatalogService},
 * {@link io.modelward.catalog.ArtifactService} and {@link io.modelward.catalog.CatalogQueries} are its public facade;
 * entities and repositories stay package-private.
 */
@NullMarked
package io.modelward.catalog;

import org.jspecify.annotations.NullMarked;
