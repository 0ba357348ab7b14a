package io.modelward.runtime.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's outputs as clients see them: the first named as the processing says ({@code output.name}), the others
 * {@code output1}, {@code output2} …; and, unless the model may ({@code output.allow-non-finite}), refused when a
 * floating-point output holds NaN or infinity, which the runtime never feeds it.
 */
final class ModelOutputs {

    private ModelOutputs() {
    }

    static List<Tensor> named(List<Tensor> outputs, String firstName) {
        List<Tensor> named = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            Tensor t = outputs.get(i);
            named.add(new Tensor(i == 0 ? firstName : "output" + i, t.datatype(), t.shape(), t.data()));
        }
        return named;
    }

    /** Throws {@link BadOutputException} naming the first NaN or infinity. */
    static void requireFinite(String model, List<Tensor> outputs) {
        for (Tensor t : outputs) {
            if (t.datatype() == Datatype.FP32) {
                float[] data = (float[]) t.data();
                for (int i = 0; i < data.length; i++) {
                    if (!Float.isFinite(data[i])) {
                        throw nonFinite(model, t, i, data[i]);
                    }
                }
            }
            else if (t.datatype() == Datatype.FP64) {
                double[] data = (double[]) t.data();
                for (int i = 0; i < data.length; i++) {
                    if (!Double.isFinite(data[i])) {
                        throw nonFinite(model, t, i, data[i]);
                    }
                }
            }
        }
    }

    private static BadOutputException nonFinite(String model, Tensor t, int index, double value) {
        String what = Double.isNaN(value) ? "NaN" : value > 0 ? "infinity" : "-infinity";
        return new BadOutputException("Model '" + model + "' produced " + what + " in output '" + t.name()
                + "' at element " + index + ".");
    }
}
