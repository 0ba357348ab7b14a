/** Cross-cutting governance facts shared by every module: who acts, with which roles, and how it is audited. */
@NullMarked
package io.modelward.governance;

import org.jspecify.annotations.NullMarked;
