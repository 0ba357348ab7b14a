package io.modelward.portal.gateway;

import io.modelward.governance.Actor;
import org.jspecify.annotations.Nullable;

/** Who is calling, as the security layer established it for the current request; null when anonymous. */
@FunctionalInterface
public interface Callers {

    @Nullable Actor current();
}
