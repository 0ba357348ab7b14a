/**
 * The inference gateway: KServe V1/V2 and an image endpoint on the portal, every request authenticated, routed to its
 * deployment, and written to the audit trail (durably, hash-chained) before it is answered.
 */
@NullMarked
package io.modelward.portal.gateway;

import org.jspecify.annotations.NullMarked;
