package io.modelward.catalog;

/** The files a model version carries: the model itself and, optionally, its class labels. */
public enum ArtifactKind {
    MODEL,
    /** {@code synset.txt} style (one label per line) or TorchServe's {@code index_to_name.json}. */
    LABELS
}
