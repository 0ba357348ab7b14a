package io.modelward.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

import io.modelward.catalog.store.ArtifactStore;
import io.modelward.catalog.store.StagedArtifact;
import io.modelward.catalog.store.ZipInspector;
import io.modelward.governance.Actor;
import io.modelward.governance.AuditLog;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.GovernanceEvent;
import io.modelward.governance.ProblemException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Receives artifacts for draft versions. The upload streams into the store's staging area while its SHA-256 and size
 * are computed and its size limit enforced; it is then checked (declared checksum, archive safety, content) and only
 * then addressed by content and recorded. Whatever fails on the way leaves no row and no file behind.
 */
@Service
public class ArtifactService {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final ModelVersionRepository versions;
    private final ArtifactRepository artifacts;
    private final ArtifactStore store;
    private final ArtifactContentCheck contentCheck;
    private final CatalogProperties properties;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final TransactionTemplate readTx;
    private final JdbcClient jdbc;

    ArtifactService(ModelVersionRepository versions, ArtifactRepository artifacts, ArtifactStore store,
            ZipInspector zips, CatalogProperties properties, AuditLog audit, PlatformTransactionManager txManager,
            JdbcClient jdbc) {
        this.versions = versions;
        this.artifacts = artifacts;
        this.store = store;
        this.contentCheck = new ArtifactContentCheck(zips);
        this.properties = properties;
        this.audit = audit;
        this.tx = new TransactionTemplate(txManager);
        this.readTx = new TransactionTemplate(txManager);
        this.readTx.setReadOnly(true);
        this.jdbc = jdbc;
    }

    /** The largest upload accepted for a kind of artifact. */
    public long limitFor(ArtifactKind kind) {
        return kind == ArtifactKind.MODEL ? properties.maxArtifactSize().toBytes() : properties.maxLabelsSize().toBytes();
    }

    /**
     * Stores an artifact of a DRAFT version, replacing any earlier one of the same kind.
     *
     * @param declaredSha256 the SHA-256 the uploader expects, or null
     * @param declaredLength the request's Content-Length, or -1 when unknown
     */
    public ArtifactInfo upload(Actor actor, String model, String label, ArtifactKind kind, String fileName,
            @Nullable String declaredSha256, long declaredLength, InputStream body) throws IOException {
        String expected = normaliseSha(declaredSha256);
        ModelFormat format = requireUploadable(actor, model, label);
        ArtifactContentCheck.requireFileName(fileName, kind, format);
        long limit = limitFor(kind);
        if (declaredLength > limit) {
            throw ProblemException.tooLarge("The upload (" + declaredLength + " bytes) is larger than the limit of "
                    + ArtifactStore.human(limit) + " for a " + kind.name().toLowerCase(java.util.Locale.ROOT) + " file.");
        }
        StagedArtifact staged = store.stage(body, limit);
        try {
            if (expected != null && !expected.equals(staged.sha256())) {
                throw ProblemException.unprocessable("checksum-mismatch", "The upload's SHA-256 is " + staged.sha256()
                        + ", not the declared " + expected + ": the file was changed or damaged on the way.");
            }
            ModelSignature signature = contentCheck.requireValidContent(staged.file(), fileName, kind, format);
            Recorded recorded = tx.execute(status -> store(actor, model, label, kind, fileName, staged, signature));
            if (recorded == null) {
                throw new IllegalStateException("no artifact recorded");
            }
            if (recorded.replacedSha256() != null && !recorded.replacedSha256().equals(staged.sha256())) {
                deleteIfUnreferenced(recorded.replacedSha256());
            }
            return recorded.info();
        }
        finally {
            store.discard(staged);
        }
    }

    /**
     * Moves the staged file to its content address and writes its row, in one transaction that holds a lock on the
     * content's hash: a concurrent upload of the same content, or a concurrent clean-up of it, waits, so no row ever
     * points at a file that a failing neighbour removed. When the row cannot be written, a file this upload put there
     * is removed again before the lock is released.
     */
    private Recorded store(Actor actor, String model, String label, ArtifactKind kind, String fileName,
            StagedArtifact staged, @Nullable ModelSignature signature) {
        lockContent(staged.sha256());
        boolean created;
        try {
            created = store.promote(staged);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot store the upload", ex);
        }
        try {
            return record(actor, model, label, kind, fileName, staged, signature);
        }
        catch (RuntimeException ex) {
            if (created) {
                deleteQuietly(staged.sha256(), ex);
            }
            throw ex;
        }
    }

    /** Removes a stored file that no row references any more, under the same lock as {@link #store}. */
    private void deleteIfUnreferenced(String sha256) {
        try {
            tx.executeWithoutResult(status -> {
                lockContent(sha256);
                if (!artifacts.existsBySha256(sha256)) {
                    deleteQuietly(sha256, null);
                }
            });
        }
        catch (RuntimeException ex) {
            // the upload itself succeeded; an unreferenced file only costs disk space
        }
    }

    private void lockContent(String sha256) {
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(Long.parseUnsignedLong(sha256.substring(0, 15), 16))
                .query().singleValue();
    }

    /** Opens an artifact for download. */
    public ArtifactContent open(String model, String label, ArtifactKind kind) throws IOException {
        ArtifactInfo info = readTx.execute(status -> {
            ModelVersion version = find(model, label);
            return artifacts.findByVersionIdAndKind(version.id(), kind).map(Artifact::toInfo)
                    .orElseThrow(() -> ProblemException.notFound(model + " " + label + " has no "
                            + kind.name().toLowerCase() + " artifact."));
        });
        if (info == null) {
            throw new IllegalStateException("no artifact found");
        }
        return new ArtifactContent(info, store.open(info.sha256()));
    }

    private record Recorded(ArtifactInfo info, @Nullable String replacedSha256) {
    }

    private Recorded record(Actor actor, String model, String label, ArtifactKind kind, String fileName,
            StagedArtifact staged, @Nullable ModelSignature signature) {
        // lock the version row: a concurrent submit waits, so no file changes after a version left DRAFT
        ModelVersion version = versions.findForUpdate(model, label).orElseThrow(() -> ProblemException.notFound(
                "Model '" + model + "' has no version '" + label + "'."));
        requireDraft(actor, version);
        String replaced = artifacts.findByVersionIdAndKind(version.id(), kind).map(old -> {
            artifacts.delete(old);
            artifacts.flush();
            return old.sha256();
        }).orElse(null);
        Artifact saved = artifacts.save(new Artifact(version.id(), kind, fileName, staged.sha256(), staged.size(),
                actor.subject()));
        if (kind == ArtifactKind.MODEL) {
            version.signature(signature);
        }
        audit.record(new GovernanceEvent(actor, GovernanceAction.ARTIFACT_UPLOADED, model, label, kind + " "
                + fileName + " sha256 " + staged.sha256() + ", " + staged.size() + " bytes"
                + (replaced == null ? "" : ", replacing sha256 " + replaced)));
        return new Recorded(saved.toInfo(), replaced);
    }

    private ModelFormat requireUploadable(Actor actor, String model, String label) {
        ModelFormat format = readTx.execute(status -> {
            ModelVersion version = find(model, label);
            requireDraft(actor, version);
            return version.format();
        });
        if (format == null) {
            throw new IllegalStateException("no version found");
        }
        return format;
    }

    private void requireDraft(Actor actor, ModelVersion version) {
        Permissions.requireCanEdit(audit, actor, GovernanceAction.ARTIFACT_UPLOADED, version.model(), version.label());
        if (version.state() != VersionState.DRAFT) {
            throw ProblemException.conflict("not-draft", version.model().name() + " " + version.label() + " is "
                    + version.state() + ": artifacts can only change while a version is a DRAFT.");
        }
    }

    private ModelVersion find(String model, String label) {
        return versions.find(model, label).orElseThrow(() -> ProblemException.notFound("Model '" + model
                + "' has no version '" + label + "'."));
    }

    private void deleteQuietly(String sha256, @Nullable Throwable cause) {
        try {
            store.delete(sha256);
        }
        catch (IOException ex) {
            if (cause != null) {
                cause.addSuppressed(ex);
            }
        }
    }

    private static @Nullable String normaliseSha(@Nullable String sha256) {
        if (sha256 == null || sha256.isBlank()) {
            return null;
        }
        String value = sha256.strip();
        if (!SHA256.matcher(value).matches()) {
            throw ProblemException.invalid("invalid-checksum", "The declared SHA-256 must be 64 hex digits.");
        }
        return value.toLowerCase(java.util.Locale.ROOT);
    }
}
