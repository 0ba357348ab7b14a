package io.modelward.catalog;

/** What a model does; decides which inference entry points make sense for it. */
public enum Task {
    IMAGE_CLASSIFICATION("Image classification"),
    TABULAR_CLASSIFICATION("Tabular classification"),
    OTHER("Other");

    private final String label;

    Task(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
