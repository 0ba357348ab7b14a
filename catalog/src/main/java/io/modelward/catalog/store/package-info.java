/** The content-addressed artifact store and archive safety checks. */
@NullMarked
package io.modelward.catalog.store;

import org.jspecify.annotations.NullMarked;
