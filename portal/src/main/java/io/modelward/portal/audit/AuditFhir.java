package io.modelward.portal.audit;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.Outcome;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * Turns audit rows into FHIR R4 {@code AuditEvent}s and writes them as a {@code Bundle} of type collection. The
 * bundle's envelope is written by hand and each event is serialized by HAPI as its entry's resource, so rows stream
 * out as the database returns them. Inference is a RESTful operation ({@code rest}, action E); governance actions
 * are RESTful creates, updates and deletes (C, U, D); exports and chain checks use DICOM's Export and Audit Log Used
 * event types.
 */
final class AuditFhir {

    static final String EVENT_TYPES = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String INTERACTIONS = "http://hl7.org/fhir/restful-interaction";
    static final String SOURCE_TYPES = "http://terminology.hl7.org/CodeSystem/security-source-type";
    static final String ENTITY_TYPES = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String ACTIONS = "urn:modelward:audit-action";
    static final String SUBJECTS = "urn:modelward:subject";
    static final String MODEL_VERSIONS = "urn:modelward:model-version";

    private final IParser parser;
    private final Writer out;
    private boolean first = true;

    /** Starts the bundle on {@code out}; {@link #finish()} closes it. */
    AuditFhir(FhirContext fhir, Writer out, Instant now) throws IOException {
        this.parser = fhir.newJsonParser().setPrettyPrint(false);
        this.out = out;
        out.write("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"timestamp\":\"" + now + "\",\"entry\":[");
    }

    void row(AuditEntry row) throws IOException {
        if (!first) {
            out.write(',');
        }
        first = false;
        out.write("{\"fullUrl\":\"urn:uuid:" + uuid(row) + "\",\"resource\":");
        parser.encodeResourceToWriter(event(row), out);
        out.write('}');
    }

    void finish() throws IOException {
        out.write("]}");
        out.flush();
    }

    static AuditEvent event(AuditEntry row) {
        AuditEvent event = new AuditEvent();
        Kind kind = Kind.of(row.action());
        event.setType(kind.type);
        if (kind.subtype != null) {
            event.addSubtype(kind.subtype);
        }
        event.addSubtype(new Coding(ACTIONS, row.action(), null));
        event.setAction(kind.action);
        event.setRecorded(Date.from(row.at()));
        if (row.outcome() != null) {
            event.setOutcome(outcome(row.outcome()));
        }
        if (row.httpStatus() != null) {
            event.setOutcomeDesc("HTTP " + row.httpStatus());
        }
        if (row.purpose() != null) {
            event.addPurposeOfEvent(new CodeableConcept().setText(row.purpose()));
        }
        AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true)
                .setWho(new Reference().setIdentifier(new Identifier().setSystem(SUBJECTS).setValue(row.actorSubject()))
                        .setDisplay(row.who()));
        if (row.clientId() != null) {
            agent.setAltId(row.clientId());
        }
        if (row.sourceIp() != null) {
            agent.getNetwork().setAddress(row.sourceIp()).setType(AuditEventAgentNetworkType._2);
        }
        event.getSource().setSite("ModelWard").setObserver(new Reference().setDisplay("ModelWard (" + row.chainId()
                + ")")).addType(new Coding(SOURCE_TYPES, "4", "Application Server"));
        AuditEvent.AuditEventEntityComponent entity = event.addEntity()
                .setType(new Coding(ENTITY_TYPES, "2", "System Object"));
        if (row.model() != null) {
            entity.setWhat(new Reference().setIdentifier(new Identifier().setSystem(MODEL_VERSIONS)
                    .setValue(row.version() == null ? row.model() : row.model() + ":" + row.version()))
                    .setDisplay(row.modelVersion()));
        }
        detail(entity, "chain_id", row.chainId());
        detail(entity, "seq", Long.toString(row.seq()));
        detail(entity, "request_id", row.requestId());
        detail(entity, "deployment", row.deployment());
        detail(entity, "artifact_sha256", row.artifactSha256());
        detail(entity, "input_sha256", row.inputSha256());
        detail(entity, "input_size", row.inputSize() == null ? null : row.inputSize().toString());
        detail(entity, "content_type", row.contentType());
        detail(entity, "output_summary", row.outputSummary());
        detail(entity, "output_sha256", row.outputSha256());
        detail(entity, "latency_micros", row.latencyMicros() == null ? null : row.latencyMicros().toString());
        detail(entity, "detail", row.detail());
        detail(entity, "prev_hash", row.prevHash());
        detail(entity, "hash", row.hash());
        return event;
    }

    /** 0 success; 4 minor failure (refused or bad input); 8 serious (we failed); 12 major (the service was down). */
    static AuditEventOutcome outcome(Outcome outcome) {
        return switch (outcome) {
            case OK -> AuditEventOutcome._0;
            case CLIENT_ERROR, DENIED -> AuditEventOutcome._4;
            case SERVER_ERROR -> AuditEventOutcome._8;
            case UNAVAILABLE -> AuditEventOutcome._12;
        };
    }

    private static void detail(AuditEvent.AuditEventEntityComponent entity, String type, @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            entity.addDetail().setType(type).setValue(new StringType(value));
        }
    }

    /** A stable id per row, so the same row has the same fullUrl in every export. */
    private static UUID uuid(AuditEntry row) {
        return UUID.nameUUIDFromBytes((row.chainId() + "/" + row.seq()).getBytes(StandardCharsets.UTF_8));
    }

    /** The event type, subtype and action code of each kind of row. */
    private record Kind(Coding type, @Nullable Coding subtype, AuditEventAction action) {

        static final Coding REST = new Coding(EVENT_TYPES, "rest", "RESTful Operation");

        static Kind of(String action) {
            if (AuditEntry.INFER.equals(action)) {
                return rest("operation", AuditEventAction.E);
            }
            GovernanceAction governance;
            try {
                governance = GovernanceAction.valueOf(action);
            }
            catch (IllegalArgumentException unknown) {
                return new Kind(REST.copy(), null, AuditEventAction.E);
            }
            return switch (governance) {
                case MODEL_REGISTERED, VERSION_REGISTERED, ARTIFACT_UPLOADED, DEPLOYMENT_CREATED ->
                        rest("create", AuditEventAction.C);
                case VERSION_SUBMITTED, VERSION_APPROVED, VERSION_REJECTED, VERSION_RETIRED, LICENSE_POLICY_CHANGED,
                        DEPLOYMENT_SCALED, DEPLOYMENT_STARTED, DEPLOYMENT_STOPPED -> rest("update", AuditEventAction.U);
                case DEPLOYMENT_DELETED -> rest("delete", AuditEventAction.D);
                case AUDIT_EXPORTED -> new Kind(new Coding(DICOM, "110106", "Export"), null, AuditEventAction.R);
                case AUDIT_VERIFIED -> new Kind(new Coding(DICOM, "110101", "Audit Log Used"), null,
                        AuditEventAction.E);
                case AUDIT_READ -> new Kind(new Coding(DICOM, "110101", "Audit Log Used"), null, AuditEventAction.R);
                case ACCESS -> rest("read", AuditEventAction.R);
                case LOGIN, LOGIN_FAILED, LOCKOUT -> authentication(new Coding(DICOM, "110122", "Login"));
                case LOGOUT -> authentication(new Coding(DICOM, "110123", "Logout"));
            };
        }

        private static Kind authentication(Coding subtype) {
            return new Kind(new Coding(DICOM, "110114", "User Authentication"), subtype, AuditEventAction.E);
        }

        private static Kind rest(String interaction, AuditEventAction action) {
            return new Kind(REST.copy(), new Coding(INTERACTIONS, interaction, null), action);
        }
    }
}
