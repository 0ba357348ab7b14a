package io.modelward.runtime.http;

import java.util.List;

import io.modelward.runtime.engine.Tensor;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** A parsed V2 infer request: id, parameters, input tensors and the names of the outputs asked for (empty: all). */
record V2Request(@Nullable String id, @Nullable JsonNode parameters, List<Tensor> inputs, List<String> outputs) {
}
