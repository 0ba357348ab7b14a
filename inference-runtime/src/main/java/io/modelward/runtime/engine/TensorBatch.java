package io.modelward.runtime.engine;

import java.util.List;

/** The model's inputs or outputs for one batch, each tensor with the batch as dimension 0. */
record TensorBatch(List<Tensor> tensors) {
}
