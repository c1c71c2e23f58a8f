package org.ntx.cds;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServicesJson;
import jakarta.servlet.http.HttpServletRequest;
import org.ntx.security.AuditTrail;
import org.ntx.security.CdsAuditRecord;
import org.ntx.security.CdsFhirServers;
import org.ntx.security.PatientDataAccess;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * CDS Hooks 2.0 endpoints beside {@code /fhir}: discovery, one call endpoint per service, and feedback. Thin: parsing
 * lives in {@link CdsRequestParser}, the decision in {@link NaltrexoneCds}, the wire format in HAPI's JSON models.
 */
@RestController
@RequestMapping(produces = MediaType.APPLICATION_JSON_VALUE)
class CdsHooksController {

    static final String BASE_PATH = "/cds-services";

    /**
     * The same services for this server's web page. A browser cannot sign a CDS client JWT, so with authentication on
     * the page calls here with the user's FHIR access token, which must reach the patient in context.
     */
    static final String WEB_PAGE_PATH = "/api/cds-services";

    private final CdsRequestParser parser;
    private final NaltrexoneCds cds;
    private final CdsFeedback feedback;
    private final CdsJson json;
    private final AuditTrail audit;
    private final PatientDataAccess patientAccess;
    private final CdsFhirServers fhirServers;

    CdsHooksController(CdsRequestParser parser, NaltrexoneCds cds, CdsFeedback feedback, CdsJson json,
                       AuditTrail audit, PatientDataAccess patientAccess, CdsFhirServers fhirServers) {
        this.parser = parser;
        this.cds = cds;
        this.feedback = feedback;
        this.json = json;
        this.audit = audit;
        this.patientAccess = patientAccess;
        this.fhirServers = fhirServers;
    }

    @GetMapping(path = BASE_PATH)
    String discovery() {
        CdsServicesJson services = new CdsServicesJson();
        for (CdsServiceDefinition definition : CdsServiceDefinition.values()) {
            CdsServiceJson service = new CdsServiceJson()
                    .setId(definition.id())
                    .setHook(definition.hook().wireName())
                    .setTitle(definition.title())
                    .setDescription(definition.description());
            cds.prefetchTemplates().forEach(service::addPrefetch);
            List<PddiConfigurationItems.Item> options = PddiConfigurationItems.offeredBy(definition.hook());
            if (!options.isEmpty()) {
                service.setExtension(new PddiConfigurationItems(options));
            }
            services.addService(service);
        }
        return json.write(services);
    }

    /**
     * One service call. Every call that reaches a known service is audited (client, user, patient, hook, the cards'
     * topics), refusals included; the audit trail writes in the background.
     */
    @PostMapping(path = BASE_PATH + "/{serviceId}")
    String call(@PathVariable String serviceId, @RequestHeader(name = "Content-Type", required = false) String type,
                @RequestBody(required = false) String body, Principal client) {
        return respond(serviceId, type, body, client, CdsCaller.client(client), request -> request.fhirServer()
                .flatMap(url -> fhirServers.refusal(client, url))
                .ifPresent(reason -> {
                    throw new CdsRequestException(HttpStatus.FORBIDDEN, reason);
                }));
    }

    /** The web page's call: as {@link #call}, after checking that the user's token reaches the patient. */
    @PostMapping(path = WEB_PAGE_PATH + "/{serviceId}")
    String callFromWebPage(@PathVariable String serviceId,
                           @RequestHeader(name = "Content-Type", required = false) String type,
                           @RequestBody(required = false) String body, Principal user, HttpServletRequest http) {
        return respond(serviceId, type, body, user, CdsCaller.webPage(user), request -> {
            if (request.fhirServer().isPresent()) {
                // The page reads this server's own store; a user token must not make it fetch anything else.
                throw CdsRequestException.badRequest("The web page's try-out reads this server's own store:"
                        + " 'fhirServer' is not accepted here");
            }
            patientAccess.read(user, request.patientId(), http.getRemoteAddr(), "cds-services/" + serviceId);
        });
    }

    private String respond(String serviceId, String type, String body, Principal client, Optional<String> caller,
                           Consumer<CdsRequest> authorize) {
        CdsServiceDefinition service = findService(serviceId);
        CdsRequest request = null;
        try {
            requireJson(type);
            request = parser.parse(body, service.hook());
            authorize.accept(request);
            CdsServiceResponseJson response = cds.respond(service, request, caller);
            audit.cdsCall(auditRecord(service, request, client, response.getCards(), HttpStatus.OK.value()));
            return json.write(response);
        } catch (CdsRequestException refused) {
            audit.cdsCall(auditRecord(service, request, client, List.of(), refused.status().value()));
            throw refused;
        } catch (PatientDataAccess.Denied denied) {
            audit.cdsCall(auditRecord(service, request, client, List.of(), HttpStatus.FORBIDDEN.value()));
            throw denied;
        }
    }

    /** Ids and codes only: the audit record carries no clinical content. */
    private static CdsAuditRecord auditRecord(CdsServiceDefinition service, CdsRequest request, Principal client,
                                              List<CdsServiceResponseCardJson> cards, int status) {
        List<String> topics = cards == null ? List.of() : cards.stream()
                .map(card -> card.getSource() == null || card.getSource().getTopic() == null
                        ? "untagged" : card.getSource().getTopic().getCode())
                .toList();
        return new CdsAuditRecord(service.id(), service.hook().wireName(),
                request == null ? null : request.hookInstance(),
                client == null ? null : client.getName(),
                request == null ? null : request.userId().orElse(null),
                request == null ? null : request.patientId(),
                topics.size(), topics, status);
    }

    /**
     * Feedback from a CDS client: only for cards issued to that client. The answer says how many items were stored
     * and how many repeated an answer already stored (which changes nothing).
     */
    @PostMapping(path = BASE_PATH + "/{serviceId}/feedback")
    String feedback(@PathVariable String serviceId,
                    @RequestHeader(name = "Content-Type", required = false) String type,
                    @RequestBody(required = false) String body, Principal client) {
        return recordFeedback(serviceId, type, body, new CdsFeedback.Sender(CdsCaller.client(client), patient -> { }));
    }

    /** Feedback from the web page: for cards the page was given, about a patient the user's token reaches. */
    @PostMapping(path = WEB_PAGE_PATH + "/{serviceId}/feedback")
    String feedbackFromWebPage(@PathVariable String serviceId,
                               @RequestHeader(name = "Content-Type", required = false) String type,
                               @RequestBody(required = false) String body, Principal user, HttpServletRequest http) {
        return recordFeedback(serviceId, type, body, new CdsFeedback.Sender(CdsCaller.webPage(user),
                patient -> patientAccess.read(user, patient, http.getRemoteAddr(),
                        "cds-services/" + serviceId + "/feedback")));
    }

    private String recordFeedback(String serviceId, String type, String body, CdsFeedback.Sender sender) {
        CdsServiceDefinition service = findService(serviceId);
        requireJson(type);
        CdsFeedback.Result result = feedback.record(service, body, sender);
        return "{\"stored\":" + result.stored() + ",\"alreadyRecorded\":" + result.alreadyRecorded() + "}";
    }

    /**
     * Checked here rather than with {@code consumes}, so the refusal gets our JSON error body. A wildcard
     * ({@code *}{@code /*}) says nothing about the body and is refused like any other type that is not JSON.
     */
    private static void requireJson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType == null ? "" : contentType);
            if (!type.isWildcardType() && !type.isWildcardSubtype() && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || type.getSubtype().endsWith("+json"))) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // InvalidMediaTypeException (e.g. an empty header) and InvalidMimeTypeException: both unreadable types.
            // fall through to the refusal
        }
        throw new CdsRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "CDS Hooks requests must be sent as application/json");
    }

    private static CdsServiceDefinition findService(String serviceId) {
        return CdsServiceDefinition.byId(serviceId)
                .orElseThrow(() -> CdsRequestException.notFound("No CDS service with id '" + serviceId + "'"));
    }
}
