package io.modelward.catalog;

/** Where a model came from. Everything except {@link #UPLOAD} names an upstream source URI. */
public enum SourceType {
    UPLOAD("Uploaded file"),
    HUGGING_FACE("Hugging Face"),
    TORCH_HUB("PyTorch Hub"),
    GITHUB("GitHub"),
    URL("Other URL");

    private final String label;

    SourceType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
