package io.modelward.deployer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.modelward.catalog.ArtifactInfo;
import io.modelward.catalog.ArtifactKind;
import io.modelward.catalog.CatalogQueries;
import io.modelward.catalog.ImageInputSpec;
import io.modelward.catalog.VersionDetails;
import org.springframework.stereotype.Component;

/** Turns an approved catalog version into what its runtime replicas run. */
@Component
class RuntimeSpecs {

    private final CatalogQueries catalog;
    private final InternalTokens tokens;

    RuntimeSpecs(CatalogQueries catalog, InternalTokens tokens) {
        this.catalog = catalog;
        this.tokens = tokens;
    }

    RuntimeSpec forDeployment(DeploymentSpec spec) {
        VersionDetails version = catalog.version(spec.model(), spec.version());
        ArtifactInfo model = version.artifact(ArtifactKind.MODEL).orElseThrow(() -> new IllegalStateException(
                spec.model() + " " + spec.version() + " has no model file"));
        ArtifactInfo labels = version.artifact(ArtifactKind.LABELS).orElse(null);
        return new RuntimeSpec(spec.model(), spec.version(), version.format().name(), model.sha256(), model.fileName(),
                labels == null ? null : labels.sha256(), labels == null ? null : labels.fileName(),
                processing(version.input()), tokens.tokenFor(spec.name()));
    }

    /** The catalog's input spec as runtime flags ({@code image-resize}, {@code image-crop}, ...). */
    static Map<String, String> processing(ImageInputSpec input) {
        Map<String, String> flags = new LinkedHashMap<>();
        if (input.resizeTo() != null) {
            flags.put("image-resize", input.resizeTo().toString());
        }
        if (input.imageSize() != null) {
            flags.put("image-crop", input.imageSize().toString());
        }
        if (input.grayscale()) {
            flags.put("image-grayscale", "true");
        }
        if (!input.mean().isEmpty()) {
            flags.put("image-mean", input.mean().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if (!input.std().isEmpty()) {
            flags.put("image-std", input.std().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        return flags;
    }
}
