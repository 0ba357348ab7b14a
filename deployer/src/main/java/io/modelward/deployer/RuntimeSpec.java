package io.modelward.deployer;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What every replica of a deployment runs: the inference runtime with one approved model version. The backends turn
 * it into runtime flags ({@code --model-uri}, {@code --sha256}, ...); where the model file is read from is theirs to
 * decide (the artifact store's file locally, the portal's internal artifact endpoint on Kubernetes).
 *
 * @param modelName the name clients use in URLs: the catalog model's name
 * @param modelVersion the version label
 * @param format {@code TORCHSCRIPT} or {@code MAR}
 * @param modelSha256 SHA-256 of the model file; the runtime refuses to start on any other
 * @param modelFileName the file's name (keeps its extension for the runtime)
 * @param labelsSha256 SHA-256 of the labels file, if any
 * @param labelsFileName the labels file's name, if any
 * @param processing runtime flags for pre- and post-processing without the dashes, e.g. {@code image-crop=8}
 * @param token the internal token every request to a replica must carry (the gateway's), never logged
 */
public record RuntimeSpec(String modelName, String modelVersion, String format, String modelSha256,
        String modelFileName, @Nullable String labelsSha256, @Nullable String labelsFileName,
        Map<String, String> processing, String token) {

    public RuntimeSpec {
        processing = Map.copyOf(processing);
    }

    @Override
    public String toString() {
        return "RuntimeSpec[" + modelName + ":" + modelVersion + " " + format + " sha256=" + modelSha256 + "]";
    }
}
