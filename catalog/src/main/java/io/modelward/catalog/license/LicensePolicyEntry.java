package io.modelward.catalog.license;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "license_policy")
class LicensePolicyEntry {

    @Id
    @Column(name = "spdx_id")
    private String spdxId;

    private String name;

    @Enumerated(EnumType.STRING)
    private LicenseVerdict verdict;

    private @Nullable String note;

    @Column(name = "updated_by")
    private String updatedBy;

    @Column(name = "updated_at")
    private Instant updatedAt;

    protected LicensePolicyEntry() {
        this.spdxId = "";
        this.name = "";
        this.verdict = LicenseVerdict.REVIEW;
        this.updatedBy = "";
        this.updatedAt = Instant.EPOCH;
    }

    LicensePolicyEntry(String spdxId, String name, LicenseVerdict verdict, @Nullable String note, String updatedBy) {
        this.spdxId = spdxId;
        this.name = name;
        this.verdict = verdict;
        this.note = note;
        this.updatedBy = updatedBy;
        this.updatedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    void update(String name, LicenseVerdict verdict, @Nullable String note, String updatedBy) {
        this.name = name;
        this.verdict = verdict;
        this.note = note;
        this.updatedBy = updatedBy;
        this.updatedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    String spdxId() {
        return spdxId;
    }

    LicenseVerdict verdict() {
        return verdict;
    }

    LicenseRule toRule() {
        return new LicenseRule(spdxId, name, verdict, note, updatedBy, updatedAt);
    }
}
