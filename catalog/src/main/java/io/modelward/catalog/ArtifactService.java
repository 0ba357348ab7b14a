package io.modelward.catalog;

import java.io.IOException;
import java.io.InputStream;
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

    ArtifactService(ModelVersionRepository versions, ArtifactRepository artifacts, ArtifactStore store,
            ZipInspector zips, CatalogProperties properties, AuditLog audit, PlatformTransactionManager txManager) {
        this.versions = versions;
        this.artifacts = artifacts;
        this.store = store;
        this.contentCheck = new ArtifactContentCheck(zips);
        this.properties = properties;
        this.audit = audit;
        this.tx = new TransactionTemplate(txManager);
        this.readTx = new TransactionTemplate(txManager);
        this.readTx.setReadOnly(true);
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
        boolean created = false;
        try {
            if (expected != null && !expected.equals(staged.sha256())) {
                throw ProblemException.unprocessable("checksum-mismatch", "The upload's SHA-256 is " + staged.sha256()
                        + ", not the declared " + expected + ": the file was changed or damaged on the way.");
            }
            contentCheck.requireValidContent(staged.file(), fileName, kind, format);
            created = store.promote(staged);
            Recorded recorded = tx.execute(status -> record(actor, model, label, kind, fileName, staged));
            if (recorded == null) {
                throw new IllegalStateException("no artifact recorded");
            }
            String replaced = recorded.replacedSha256();
            if (replaced != null && !replaced.equals(staged.sha256()) && !referenced(replaced)) {
                deleteQuietly(replaced);
            }
            return recorded.info();
        }
        catch (RuntimeException | IOException ex) {
            store.discard(staged);
            if (created && !referenced(staged.sha256())) {
                store.delete(staged.sha256());
            }
            throw ex;
        }
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
            StagedArtifact staged) {
        ModelVersion version = find(model, label);
        requireDraft(actor, version);
        String replaced = artifacts.findByVersionIdAndKind(version.id(), kind).map(old -> {
            artifacts.delete(old);
            artifacts.flush();
            return old.sha256();
        }).orElse(null);
        Artifact saved = artifacts.save(new Artifact(version.id(), kind, fileName, staged.sha256(), staged.size(),
                actor.subject()));
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

    private static void requireDraft(Actor actor, ModelVersion version) {
        Permissions.requireCanEdit(actor, version.model());
        if (version.state() != VersionState.DRAFT) {
            throw ProblemException.conflict("not-draft", version.model().name() + " " + version.label() + " is "
                    + version.state() + ": artifacts can only change while a version is a DRAFT.");
        }
    }

    private ModelVersion find(String model, String label) {
        return versions.find(model, label).orElseThrow(() -> ProblemException.notFound("Model '" + model
                + "' has no version '" + label + "'."));
    }

    private boolean referenced(String sha256) {
        Boolean used = readTx.execute(status -> artifacts.existsBySha256(sha256));
        return used == null || used;
    }

    private void deleteQuietly(String sha256) {
        try {
            store.delete(sha256);
        }
        catch (IOException ex) {
            // An unreferenced file costs disk space only; the upload itself succeeded.
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
