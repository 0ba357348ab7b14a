/**
 * The auditors' view of the audit trail: search, event detail, chain verification, charts, and exports (CSV, FHIR
 * R4 AuditEvent, PDF) that stream from the database and are themselves audited.
 */
@NullMarked
package io.modelward.portal.audit;

import org.jspecify.annotations.NullMarked;
