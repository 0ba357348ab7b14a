package io.modelward.catalog;

import java.util.Set;

/**
 * The life of a model version: {@code DRAFT → SUBMITTED → APPROVED | REJECTED → RETIRED}. The transitions are the
 * only ones the server accepts.
 */
public enum VersionState {
    DRAFT,
    SUBMITTED,
    APPROVED,
    REJECTED,
    RETIRED;

    public Set<VersionState> next() {
        return switch (this) {
            case DRAFT -> Set.of(SUBMITTED);
            case SUBMITTED -> Set.of(APPROVED, REJECTED);
            case APPROVED, REJECTED -> Set.of(RETIRED);
            case RETIRED -> Set.of();
        };
    }

    public boolean canMoveTo(VersionState target) {
        return next().contains(target);
    }
}
