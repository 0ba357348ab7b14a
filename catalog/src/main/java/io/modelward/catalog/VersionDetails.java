package io.modelward.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.modelward.catalog.license.LicenseVerdict;
import org.jspecify.annotations.Nullable;

/** Everything known about a model version, with the license verdict the policy gives today and its signature. */
public record VersionDetails(String model, String modelDisplayName, Task task, String modelOwner, String version,
        ModelFormat format, VersionState state, String license, LicenseVerdict licenseVerdict, ImageInputSpec input,
        Provenance provenance, String createdBy, Instant createdAt, @Nullable String submittedBy,
        @Nullable String decidedBy, List<ArtifactInfo> artifacts, List<TransitionInfo> history,
        ModelSignature signature) {

    public Optional<ArtifactInfo> artifact(ArtifactKind kind) {
        return artifacts.stream().filter(a -> a.kind() == kind).findFirst();
    }
}
