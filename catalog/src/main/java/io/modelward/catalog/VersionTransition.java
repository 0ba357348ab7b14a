package io.modelward.catalog;

import java.time.Instant;

import io.modelward.catalog.license.LicenseVerdict;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/** One stored step of a version's life: who moved it from which state to which, when and why. */
@Entity
@Table(name = "version_transition")
class VersionTransition {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "version_id")
    private long versionId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_state")
    private @Nullable VersionState from;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_state")
    private VersionState to;

    private String actor;

    private @Nullable String reason;

    @Enumerated(EnumType.STRING)
    @Column(name = "license_verdict")
    private @Nullable LicenseVerdict licenseVerdict;

    private Instant at;

    protected VersionTransition() {
        this(0, null, VersionState.DRAFT, "", null, null);
    }

    VersionTransition(long versionId, @Nullable VersionState from, VersionState to, String actor,
            @Nullable String reason, @Nullable LicenseVerdict licenseVerdict) {
        this.versionId = versionId;
        this.from = from;
        this.to = to;
        this.actor = actor;
        this.reason = reason;
        this.licenseVerdict = licenseVerdict;
        this.at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    TransitionInfo toInfo() {
        return new TransitionInfo(from, to, actor, reason, licenseVerdict, at);
    }
}
