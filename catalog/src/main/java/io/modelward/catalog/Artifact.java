package io.modelward.catalog;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "artifact")
class Artifact {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "version_id")
    private long versionId;

    @Enumerated(EnumType.STRING)
    private ArtifactKind kind;

    @Column(name = "file_name")
    private String fileName;

    private String sha256;

    @Column(name = "size_bytes")
    private long sizeBytes;

    @Column(name = "uploaded_by")
    private String uploadedBy;

    @Column(name = "uploaded_at")
    private Instant uploadedAt;

    protected Artifact() {
        this(0, ArtifactKind.MODEL, "", "", 0, "");
    }

    Artifact(long versionId, ArtifactKind kind, String fileName, String sha256, long sizeBytes, String uploadedBy) {
        this.versionId = versionId;
        this.kind = kind;
        this.fileName = fileName;
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        this.uploadedBy = uploadedBy;
        this.uploadedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    long versionId() {
        return versionId;
    }

    ArtifactKind kind() {
        return kind;
    }

    String sha256() {
        return sha256;
    }

    String uploadedBy() {
        return uploadedBy;
    }

    ArtifactInfo toInfo() {
        return new ArtifactInfo(kind, fileName, sha256, sizeBytes, uploadedBy, uploadedAt);
    }
}
