package org.ntx.security;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds FHIR R4 AuditEvents, following the shape of IHE Basic Audit Log Patterns: type {@code rest} with the FHIR
 * interaction as subtype, the caller as requesting agent, the resources touched as entities ({@code what} references
 * only for resources that exist here, so storing an audit record never creates placeholder resources), and the
 * patient as an entity with role "Patient".
 */
final class AuditEvents {

    static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
    static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    /** Hook names as the CDS Hooks hook registry lists them ({@code order-sign}, {@code patient-view}). */
    static final String CDS_HOOKS = "https://cds-hooks.org/hooks";
    static final String URI = "urn:ietf:rfc:3986";
    static final String SOURCE_SITE = "naltrexone-fhir-service";

    private AuditEvents() {}

    static AuditEvent fhirInteraction(FhirAuditRecord record) {
        AuditEvent event = base(record.recorded(), record.status());
        if (!record.warnings().isEmpty()) {
            // e.g. a claimed profile the server does not know (profiles.ProfileClaims): stored, not validated.
            event.setOutcomeDesc(event.getOutcomeDesc() + "; warnings: " + String.join("; ", record.warnings()));
        }
        Interaction interaction = Interaction.of(record.interaction());
        event.getType().setSystem(AUDIT_EVENT_TYPE).setCode("rest").setDisplay("RESTful Operation");
        event.addSubtype(new Coding(RESTFUL_INTERACTION, interaction.code, null));
        event.setAction(interaction.action);

        AccessGrant caller = record.caller();
        AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
        if (caller.authenticated()) {
            agent.getWho().setIdentifier(new Identifier().setSystem(caller.issuer())
                    .setValue(caller.subject() != null ? caller.subject() : caller.clientId()));
            agent.setAltId(caller.clientId());
        } else {
            agent.getWho().setDisplay("anonymous");
        }
        if (record.remoteAddress() != null) {
            agent.getNetwork().setAddress(record.remoteAddress())
                    .setType(AuditEvent.AuditEventAgentNetworkType._2);
        }

        if (caller.compartmentBound()) {
            patientEntity(event, ScopeRules.patientId(caller).getValue(), null);
        }
        if (record.query() != null) {
            // A query entity carries the query and no name (AuditEvent invariant ent-1).
            event.addEntity().setRole(new Coding(OBJECT_ROLE, "24", "Query"))
                    .setQuery(record.query().getBytes(StandardCharsets.UTF_8))
                    .setDescription(record.target());
        }
        Set<String> resources = new LinkedHashSet<>();
        if (record.target() != null && record.query() == null) {
            AuditEvent.AuditEventEntityComponent target =
                    resourceEntity(event, record.target(), record.targetExists());
            if (record.operation() != null) {
                target.setDescription("operation " + record.operation());
            }
            resources.add(record.target());
        } else if (record.target() == null && record.operation() != null) {
            event.addEntity().setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"))
                    .setName(record.operation()).setDescription("server-level operation");
        }
        for (String returned : record.returned()) {
            if (resources.add(returned)) {
                resourceEntity(event, returned, true);
            }
        }
        return event;
    }

    /**
     * Requests refused with 401 in one interval, as counts.
     *
     * @param counts        by {@code "<area> <reason>"}, e.g. {@code "fhir no-token"}
     * @param addresses     the client addresses seen (at most {@link UnauthenticatedRequests#MAX_ADDRESSES})
     * @param moreAddresses how many more distinct addresses there were
     */
    record Refusals(Instant from, Instant to, Map<String, Long> counts, Set<String> addresses, long moreAddresses) {
        long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static AuditEvent unauthenticated(Refusals refusals) {
        AuditEvent event = base(refusals.to(), 401);
        event.getType().setSystem(DICOM).setCode("110114").setDisplay("User Authentication");
        event.addSubtype(new Coding(DICOM, "110122", "Login"));
        event.setAction(AuditEventAction.E);
        event.getPeriod().setStart(Date.from(refusals.from())).setEnd(Date.from(refusals.to()));
        event.setOutcomeDesc("HTTP 401: " + refusals.total() + " request(s) refused without valid authentication");
        if (refusals.addresses().isEmpty()) {
            event.addAgent().setRequestor(true).getWho().setDisplay("anonymous");
        }
        for (String address : refusals.addresses().stream().sorted().toList()) {
            event.addAgent().setRequestor(true).setWho(new Reference().setDisplay("anonymous"))
                    .getNetwork().setAddress(address).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        AuditEvent.AuditEventEntityComponent entity = event.addEntity()
                .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"))
                .setName("refused-authentication")
                .setDescription("Requests refused with 401 between " + refusals.from() + " and " + refusals.to());
        entity.addDetail().setType("refused").setValue(new StringType(Long.toString(refusals.total())));
        refusals.counts().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(count -> entity.addDetail()
                .setType(count.getKey()).setValue(new StringType(Long.toString(count.getValue()))));
        if (refusals.moreAddresses() > 0) {
            entity.addDetail().setType("more-addresses")
                    .setValue(new StringType(Long.toString(refusals.moreAddresses())));
        }
        return event;
    }

    static AuditEvent cdsCall(CdsAuditRecord record, Instant recorded) {
        AuditEvent event = base(recorded, record.httpStatus());
        event.getType().setSystem(AUDIT_EVENT_TYPE).setCode("rest").setDisplay("RESTful Operation");
        if (record.hook() != null) {
            event.addSubtype(new Coding(CDS_HOOKS, record.hook(), null));
        }
        event.setAction(AuditEventAction.E);

        // Ids from the CDS client's EHR: identifiers in that client's namespace, never references into our store.
        String namespace = record.client() != null ? record.client() : "urn:ntx:unauthenticated-cds-client";
        if (record.userId() != null) {
            event.addAgent().setRequestor(true)
                    .setWho(new Reference().setIdentifier(new Identifier().setSystem(namespace)
                            .setValue(record.userId())));
        }
        AuditEvent.AuditEventAgentComponent client = event.addAgent().setRequestor(record.userId() == null)
                .setType(new CodeableConcept(new Coding(DICOM, "110150", "Application")));
        if (record.client() != null) {
            client.setWho(new Reference().setIdentifier(new Identifier().setSystem(URI).setValue(record.client())));
        } else {
            client.setWho(new Reference().setDisplay("anonymous"));
        }

        if (record.patientId() != null) {
            patientEntity(event, "Patient/" + record.patientId(), namespace);
        }
        AuditEvent.AuditEventEntityComponent response = event.addEntity()
                .setRole(new Coding(OBJECT_ROLE, "3", "Report"))
                .setName("cds-services/" + record.serviceId())
                .setDescription("CDS Hooks service response");
        if (record.hookInstance() != null) {
            response.addDetail().setType("hookInstance")
                    .setValue(new StringType(record.hookInstance()));
        }
        response.addDetail().setType("cards")
                .setValue(new StringType(Integer.toString(record.cardCount())));
        if (!record.cardTopics().isEmpty()) {
            response.addDetail().setType("topics")
                    .setValue(new StringType(String.join(",", record.cardTopics())));
        }
        return event;
    }

    private static AuditEvent base(Instant recorded, int status) {
        AuditEvent event = new AuditEvent();
        event.setRecorded(Date.from(recorded));
        event.setOutcome(status < 400 ? AuditEventOutcome._0 : status < 500 ? AuditEventOutcome._4
                : AuditEventOutcome._8);
        event.setOutcomeDesc("HTTP " + status);
        event.getSource().setSite(SOURCE_SITE)
                .setObserver(new Reference().setDisplay("Naltrexone FHIR Service"))
                .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));
        return event;
    }

    private static void patientEntity(AuditEvent event, String patient, String externalNamespace) {
        AuditEvent.AuditEventEntityComponent entity = event.addEntity()
                .setRole(new Coding(OBJECT_ROLE, "1", "Patient"))
                .setName(patient);
        if (externalNamespace != null) {
            entity.setWhat(new Reference().setIdentifier(new Identifier().setSystem(externalNamespace)
                    .setValue(patient)));
        }
    }

    private static AuditEvent.AuditEventEntityComponent resourceEntity(AuditEvent event, String resource,
                                                                        boolean exists) {
        AuditEvent.AuditEventEntityComponent entity = event.addEntity()
                .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"))
                .setName(resource);
        if (exists && resource.contains("/")) {
            entity.setWhat(new Reference(resource));
        }
        return entity;
    }

    /** The FHIR interaction code and the CRUDE action of a HAPI operation type. */
    private record Interaction(String code, AuditEventAction action) {
        static Interaction of(RestOperationTypeEnum operation) {
            return switch (operation) {
                case READ -> new Interaction("read", AuditEventAction.R);
                case VREAD -> new Interaction("vread", AuditEventAction.R);
                case HISTORY_INSTANCE -> new Interaction("history-instance", AuditEventAction.R);
                case HISTORY_TYPE -> new Interaction("history-type", AuditEventAction.R);
                case HISTORY_SYSTEM -> new Interaction("history-system", AuditEventAction.R);
                case SEARCH_TYPE -> new Interaction("search-type", AuditEventAction.E);
                case SEARCH_SYSTEM -> new Interaction("search-system", AuditEventAction.E);
                case GET_PAGE -> new Interaction("search", AuditEventAction.E);
                case CREATE -> new Interaction("create", AuditEventAction.C);
                case UPDATE -> new Interaction("update", AuditEventAction.U);
                case PATCH -> new Interaction("patch", AuditEventAction.U);
                case DELETE -> new Interaction("delete", AuditEventAction.D);
                case TRANSACTION -> new Interaction("transaction", AuditEventAction.E);
                case BATCH -> new Interaction("batch", AuditEventAction.E);
                case METADATA -> new Interaction("capabilities", AuditEventAction.R);
                default -> new Interaction("operation", AuditEventAction.E);
            };
        }
    }
}
