package org.ntx.cds;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServicesJson;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * CDS Hooks 2.0 endpoints beside {@code /fhir}: discovery, one call endpoint per service, and feedback. Thin: parsing
 * lives in {@link CdsRequestParser}, the decision in {@link NaltrexoneCds}, the wire format in HAPI's JSON models.
 */
@RestController
@RequestMapping(path = CdsHooksController.BASE_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
class CdsHooksController {

    static final String BASE_PATH = "/cds-services";

    private final CdsRequestParser parser;
    private final NaltrexoneCds cds;
    private final CdsFeedback feedback;
    private final CdsJson json;

    CdsHooksController(CdsRequestParser parser, NaltrexoneCds cds, CdsFeedback feedback, CdsJson json) {
        this.parser = parser;
        this.cds = cds;
        this.feedback = feedback;
        this.json = json;
    }

    @GetMapping
    String discovery() {
        CdsServicesJson services = new CdsServicesJson();
        for (CdsServiceDefinition definition : CdsServiceDefinition.values()) {
            CdsServiceJson service = new CdsServiceJson()
                    .setId(definition.id())
                    .setHook(definition.hook().wireName())
                    .setTitle(definition.title())
                    .setDescription(definition.description());
            for (PrefetchKey key : PrefetchKey.values()) {
                service.addPrefetch(key.key(), key.template());
            }
            services.addService(service);
        }
        return json.write(services);
    }

    @PostMapping(path = "/{serviceId}")
    String call(@PathVariable String serviceId, @RequestHeader(name = "Content-Type", required = false) String type,
                @RequestBody(required = false) String body) {
        CdsServiceDefinition service = findService(serviceId);
        requireJson(type);
        CdsRequest request = parser.parse(body, service.hook());
        CdsServiceResponseJson response = cds.respond(service, request);
        return json.write(response);
    }

    @PostMapping(path = "/{serviceId}/feedback")
    String feedback(@PathVariable String serviceId,
                    @RequestHeader(name = "Content-Type", required = false) String type,
                    @RequestBody(required = false) String body) {
        CdsServiceDefinition service = findService(serviceId);
        requireJson(type);
        int stored = feedback.record(service, body);
        return "{\"stored\":" + stored + "}";
    }

    /** Checked here rather than with {@code consumes}, so the refusal gets our JSON error body. */
    private static void requireJson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType == null ? "" : contentType);
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json")) {
                return;
            }
        } catch (org.springframework.util.InvalidMimeTypeException e) {
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
