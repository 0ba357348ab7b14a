package io.modelward.runtime;

import java.util.Locale;

/** How the model file is packaged. */
public enum ModelFormat {
    TORCHSCRIPT,
    MAR;

    /** The format a file name suggests: {@code .mar} is a TorchServe archive, anything else TorchScript. */
    static ModelFormat guess(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".mar") ? MAR : TORCHSCRIPT;
    }
}
