package io.modelward.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import io.modelward.catalog.license.LicensePolicy;
import io.modelward.catalog.license.LicenseVerdict;
import io.modelward.catalog.license.SpdxId;
import io.modelward.governance.Actor;
import io.modelward.governance.AuditLog;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.GovernanceEvent;
import io.modelward.governance.ProblemException;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;

/**
 * Registers models and versions and moves versions through their life. Every method checks the actor's rights, keeps
 * the state machine, stores the transition and records the governance event, all in one transaction.
 */
@Service
@Validated
public class CatalogService {

    /** The shortest text accepted as the justification for approving a license that needs review. */
    public static final int MIN_JUSTIFICATION = 20;

    /** The longest reason accepted; the audit record adds a short prefix within its 4000 characters. */
    public static final int MAX_REASON = 3800;

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final VersionTransitionRepository transitions;
    private final ArtifactRepository artifacts;
    private final LicensePolicy licensePolicy;
    private final AuditLog audit;

    CatalogService(ModelRepository models, ModelVersionRepository versions, VersionTransitionRepository transitions,
            ArtifactRepository artifacts, LicensePolicy licensePolicy, AuditLog audit) {
        this.models = models;
        this.versions = versions;
        this.transitions = transitions;
        this.artifacts = artifacts;
        this.licensePolicy = licensePolicy;
        this.audit = audit;
    }

    @Transactional
    public ModelSummary registerModel(Actor actor, @Valid RegisterModel command) {
        Permissions.requireCanRegisterModels(audit, actor, command.name());
        if (models.existsByName(command.name())) {
            throw ProblemException.conflict("duplicate-model", "A model named '" + command.name() + "' already exists.");
        }
        String description = command.description() == null || command.description().isBlank() ? null
                : command.description().strip();
        Model model = models.save(new Model(command.name(), command.displayName().strip(), command.task(), description,
                actor.subject()));
        audit.record(new GovernanceEvent(actor, GovernanceAction.MODEL_REGISTERED, model.name(), null,
                "task " + model.task()));
        return new ModelSummary(model.name(), model.displayName(), model.task(), model.owner(), 0, null, null, null,
                null);
    }

    @Transactional
    public VersionDetails registerVersion(Actor actor, String modelName, @Valid RegisterVersion command) {
        Model model = models.findByName(modelName).orElseThrow(() -> modelNotFound(modelName));
        Permissions.requireCanEdit(audit, actor, GovernanceAction.VERSION_REGISTERED, model, command.version());
        String license = SpdxId.require(command.license());
        validateProvenance(command.provenance());
        validateInput(command.input());
        if (command.format() == ModelFormat.ONNX && (command.input().inputName() != null
                || command.input().outputName() != null)) {
            throw ProblemException.invalid("invalid-input-spec", "An ONNX model names its own inputs and outputs: "
                    + "leave the tensor names empty; they are read from the file at upload.");
        }
        if (versions.existsByModelIdAndLabel(model.id(), command.version())) {
            throw ProblemException.conflict("duplicate-version", "Model '" + modelName + "' already has a version '"
                    + command.version() + "'.");
        }
        ModelVersion version = versions.save(new ModelVersion(model, command.version(), command.format(), license,
                command.input(), command.provenance(), actor.subject()));
        transitions.save(new VersionTransition(version.id(), null, VersionState.DRAFT, actor.subject(), null, null));
        audit.record(new GovernanceEvent(actor, GovernanceAction.VERSION_REGISTERED, modelName, version.label(),
                "format " + version.format() + ", license " + license + ", source " + command.provenance().sourceType()));
        return details(version);
    }

    @Transactional
    public VersionDetails submit(Actor actor, String modelName, String label) {
        ModelVersion version = find(modelName, label);
        Permissions.requireCanEdit(audit, actor, GovernanceAction.VERSION_SUBMITTED, version.model(), label);
        requireTransition(version, VersionState.SUBMITTED);
        if (artifacts.findByVersionIdAndKind(version.id(), ArtifactKind.MODEL).isEmpty()) {
            throw ProblemException.conflict("missing-artifact", "Upload the model file of " + modelName + " " + label
                    + " before submitting it.");
        }
        version.submit(actor.subject());
        return transition(actor, version, VersionState.DRAFT, null, GovernanceAction.VERSION_SUBMITTED, null);
    }

    @Transactional
    public VersionDetails approve(Actor actor, String modelName, String label, @Nullable String reason) {
        ModelVersion version = find(modelName, label);
        Permissions.requireCanDecide(audit, actor, GovernanceAction.VERSION_APPROVED, version, uploaders(version));
        requireTransition(version, VersionState.APPROVED);
        LicenseVerdict verdict = licensePolicy.verdictFor(version.licenseSpdx());
        String why = reason == null ? "" : reason.strip();
        if (why.length() > MAX_REASON) {
            throw ProblemException.invalid("reason-too-long", "The reason must be at most " + MAX_REASON + " characters.");
        }
        if (verdict == LicenseVerdict.DENIED) {
            throw ProblemException.conflict("license-denied", "License " + version.licenseSpdx()
                    + " is DENIED by the license policy; this version cannot be approved.");
        }
        if (verdict == LicenseVerdict.REVIEW && why.length() < MIN_JUSTIFICATION) {
            throw ProblemException.invalid("justification-required", "License " + version.licenseSpdx()
                    + " needs review: write a justification of at least " + MIN_JUSTIFICATION + " characters.");
        }
        version.decide(VersionState.APPROVED, actor.subject());
        return transition(actor, version, VersionState.SUBMITTED, why, GovernanceAction.VERSION_APPROVED, verdict);
    }

    @Transactional
    public VersionDetails reject(Actor actor, String modelName, String label, @Nullable String reason) {
        ModelVersion version = find(modelName, label);
        Permissions.requireCanDecide(audit, actor, GovernanceAction.VERSION_REJECTED, version, uploaders(version));
        requireTransition(version, VersionState.REJECTED);
        String why = requireReason(reason, "rejecting");
        version.decide(VersionState.REJECTED, actor.subject());
        return transition(actor, version, VersionState.SUBMITTED, why, GovernanceAction.VERSION_REJECTED,
                licensePolicy.verdictFor(version.licenseSpdx()));
    }

    @Transactional
    public VersionDetails retire(Actor actor, String modelName, String label, @Nullable String reason) {
        ModelVersion version = find(modelName, label);
        Permissions.requireCanRetire(audit, actor, version);
        requireTransition(version, VersionState.RETIRED);
        String why = requireReason(reason, "retiring");
        VersionState from = version.state();
        version.retire();
        return transition(actor, version, from, why, GovernanceAction.VERSION_RETIRED, null);
    }

    private VersionDetails transition(Actor actor, ModelVersion version, VersionState from, @Nullable String reason,
            GovernanceAction action, @Nullable LicenseVerdict verdict) {
        String why = reason == null || reason.isEmpty() ? null : reason;
        transitions.save(new VersionTransition(version.id(), from, version.state(), actor.subject(), why, verdict));
        audit.record(new GovernanceEvent(actor, action, version.model().name(), version.label(),
                from + " -> " + version.state() + (verdict == null ? "" : ", license " + verdict)
                        + (why == null ? "" : ": " + why)));
        versions.flush();
        return details(version);
    }

    private java.util.Set<String> uploaders(ModelVersion version) {
        return artifacts.findByVersionIdOrderByKind(version.id()).stream().map(Artifact::uploadedBy)
                .collect(java.util.stream.Collectors.toSet());
    }

    private VersionDetails details(ModelVersion version) {
        return Views.details(version, licensePolicy, artifacts.findByVersionIdOrderByKind(version.id()),
                transitions.findByVersionIdOrderByAtAscIdAsc(version.id()));
    }

    private ModelVersion find(String modelName, String label) {
        return versions.find(modelName, label).orElseThrow(() -> ProblemException.notFound("Model '" + modelName
                + "' has no version '" + label + "'."));
    }

    static ProblemException modelNotFound(String name) {
        return ProblemException.notFound("No model named '" + name + "'.");
    }

    private static void requireTransition(ModelVersion version, VersionState target) {
        if (!version.state().canMoveTo(target)) {
            String allowed = version.state().next().isEmpty() ? "it cannot change any more"
                    : "it can move to " + version.state().next().stream().sorted().map(Enum::name)
                            .reduce((a, b) -> a + " or " + b).orElseThrow();
            throw ProblemException.conflict("illegal-transition", version.model().name() + " " + version.label()
                    + " is " + version.state() + ": " + allowed + ", not " + target + ".");
        }
    }

    private static String requireReason(@Nullable String reason, String doing) {
        if (reason == null || reason.isBlank()) {
            throw ProblemException.invalid("reason-required", "Give a reason for " + doing + " the version.");
        }
        if (reason.strip().length() > MAX_REASON) {
            throw ProblemException.invalid("reason-too-long", "The reason must be at most " + MAX_REASON + " characters.");
        }
        return reason.strip();
    }

    private static void validateProvenance(Provenance provenance) {
        if (provenance.sourceType() != SourceType.UPLOAD && provenance.sourceUri() == null) {
            throw ProblemException.invalid("invalid-provenance", "A " + provenance.sourceType().label()
                    + " source needs its source URI (the repository or file it came from).");
        }
        if (provenance.retrievedAt() != null && provenance.retrievedAt().isAfter(Instant.now().plus(CLOCK_SKEW))) {
            throw ProblemException.invalid("invalid-provenance", "'Retrieved at' lies in the future.");
        }
    }

    private static void validateInput(ImageInputSpec input) {
        if (!input.mean().isEmpty() && !input.std().isEmpty() && input.mean().size() != input.std().size()) {
            throw ProblemException.invalid("invalid-input-spec", "Give as many std values as mean values (one per "
                    + "channel).");
        }
        if (input.std().stream().anyMatch(s -> s == null || s <= 0 || s.isNaN() || s.isInfinite())) {
            throw ProblemException.invalid("invalid-input-spec", "Every std value must be a positive number.");
        }
        if (input.mean().stream().anyMatch(m -> m == null || m.isNaN() || m.isInfinite())) {
            throw ProblemException.invalid("invalid-input-spec", "Every mean value must be a number.");
        }
        if (!input.scale().isEmpty() || !input.offset().isEmpty()) {
            if (!input.mean().isEmpty() || !input.std().isEmpty()) {
                throw ProblemException.invalid("invalid-input-spec", "Normalise with mean and std, or with scale and "
                        + "offset, not both.");
            }
            if (Stream.concat(input.scale().stream(), input.offset().stream())
                    .anyMatch(v -> v == null || v.isNaN() || v.isInfinite())) {
                throw ProblemException.invalid("invalid-input-spec", "Every scale and offset value must be a number.");
            }
        }
        if (input.grayscale() && input.color() != null && input.color() != ImageInputSpec.Color.GRAYSCALE) {
            throw ProblemException.invalid("invalid-input-spec", "Grayscale contradicts colour " + input.color() + ".");
        }
        int channels = input.grayscale() || input.color() == ImageInputSpec.Color.GRAYSCALE ? 1
                : input.color() != null || input.preset() == null ? 3 : 0;
        for (var values : java.util.Map.of("mean", input.mean(), "std", input.std(), "scale", input.scale(),
                "offset", input.offset()).entrySet()) {
            int n = values.getValue().size();
            if (channels > 0 && n > 1 && n != channels) {
                throw ProblemException.invalid("invalid-input-spec", "Give 1 or " + channels + " " + values.getKey()
                        + " values (one per channel), not " + n + ".");
            }
        }
        ImageInputSpec.Fit unsized = InputShape.unsized(input);
        if (unsized != null) {
            throw ProblemException.invalid("invalid-input-spec", "Fit " + unsized + " needs a width and a height"
                    + (input.preset() == null ? "." : " (preset " + input.preset() + " gives none)."));
        }
        if (input.imageSize() != null && input.resizeTo() != null && input.resizeTo() < input.imageSize()) {
            throw ProblemException.invalid("invalid-input-spec", "Resize (" + input.resizeTo()
                    + ") must be at least the crop size (" + input.imageSize() + ").");
        }
    }
}
