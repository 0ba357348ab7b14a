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

    /**
     * The catalog's processing spec as runtime flags ({@code image-preset}, {@code image-resize}, {@code image-crop},
     * {@code image-fit}, ..., {@code output-topk}): only what the version sets, so the runtime's preset and defaults
     * fill the rest.
     */
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
        if (input.preset() != null) {
            flags.put("image-preset", input.preset());
        }
        if (input.color() != null) {
            flags.put("image-color", input.color().name());
        }
        if (input.fit() != null) {
            flags.put("image-fit", input.fit().name());
        }
        if (input.width() != null) {
            flags.put("image-width", input.width().toString());
        }
        if (input.height() != null) {
            flags.put("image-height", input.height().toString());
        }
        if (!input.scale().isEmpty()) {
            flags.put("image-scale", input.scale().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if (!input.offset().isEmpty()) {
            flags.put("image-offset", input.offset().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if (input.layout() != null) {
            flags.put("image-layout", input.layout().name());
        }
        if (input.softmax() != null) {
            flags.put("output-softmax", input.softmax().toString());
        }
        if (input.topK() != null) {
            flags.put("output-topk", input.topK().toString());
        }
        if (input.inputName() != null) {
            flags.put("input-name", input.inputName());
        }
        if (input.outputName() != null) {
            flags.put("output-name", input.outputName());
        }
        return flags;
    }
}
