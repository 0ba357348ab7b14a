package io.modelward.catalog;

import java.util.List;
import java.util.Locale;

/** How a model version's main artifact is packaged, and the file names accepted for it. */
public enum ModelFormat {
    TORCHSCRIPT("TorchScript", List.of(".pt", ".pth", ".torchscript")),
    MAR("TorchServe archive", List.of(".mar")),
    ONNX("ONNX", List.of(".onnx"));

    private final String label;
    private final List<String> extensions;

    ModelFormat(String label, List<String> extensions) {
        this.label = label;
        this.extensions = extensions;
    }

    public String label() {
        return label;
    }

    public List<String> extensions() {
        return extensions;
    }

    public boolean accepts(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return extensions.stream().anyMatch(lower::endsWith);
    }
}
