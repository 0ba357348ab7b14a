/**
 * The standalone inference server: DJL with the PyTorch engine, KServe V1/V2 REST, dynamic batching and metrics.
 * Built in its own issue; this module holds its place in the build until then.
 */
@NullMarked
package io.modelward.runtime;

import org.jspecify.annotations.NullMarked;
