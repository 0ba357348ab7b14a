/** The license policy: SPDX ids and their verdicts. */
@NullMarked
package io.modelward.catalog.license;

import org.jspecify.annotations.NullMarked;
