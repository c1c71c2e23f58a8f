package org.ntx.operations;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.record.TimelineMapper;
import org.ntx.rules.Finding;
import org.ntx.rules.Trigger;
import org.ntx.server.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The clinical checks for clients that do not speak CDS Hooks:
 * {@code GET /fhir/Patient/{id}/$naltrexone-status} (a Parameters summary) and
 * {@code POST /fhir/MedicationRequest/$naltrexone-check} (a draft order in, the findings out as OperationOutcome
 * issues carrying the card topics).
 */
public class NaltrexoneOperations {

    private final OrderCheck check;
    private final NaltrexoneStatusReport statusReport;
    private final FhirContext fhirContext;
    private final DaoRegistry daos;

    NaltrexoneOperations(OrderCheck check, NaltrexoneStatusReport statusReport, FhirContext fhirContext,
                         DaoRegistry daos) {
        this.check = check;
        this.statusReport = statusReport;
        this.fhirContext = fhirContext;
        this.daos = daos;
    }

    @Operation(name = "$naltrexone-status", type = Patient.class, idempotent = true)
    public Parameters status(@IdParam IdType patientId) {
        requireExistingPatient(patientId.getIdPart());
        return statusReport.forPatient(patientId.getIdPart());
    }

    @Operation(name = "$naltrexone-check", type = MedicationRequest.class, manualRequest = true)
    public OperationOutcome check(RequestDetails request) {
        MedicationRequest draft = draftFrom(request);
        String patientId = TimelineMapper.patientId(draft.getSubject()).orElseThrow(() ->
                new InvalidRequestException("The MedicationRequest needs a subject referencing a Patient"));
        List<Finding> findings = check.assess(patientId, List.of(draft), Trigger.ORDER_SIGN);
        return FindingOutcomes.toOperationOutcome(findings);
    }

    private void requireExistingPatient(String id) {
        try {
            daos.getResourceDao(Patient.class).read(new IdType("Patient", id), new SystemRequestDetails());
        } catch (ResourceNotFoundException e) {
            throw new ResourceNotFoundException(new IdType("Patient", id));
        }
    }

    /** Accepts the MedicationRequest itself as the body, or a Parameters with it in a {@code resource} parameter. */
    private MedicationRequest draftFrom(RequestDetails request) {
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("POST a MedicationRequest (or Parameters with a 'resource' parameter)");
        }
        Resource resource;
        try {
            resource = (Resource) fhirContext.newJsonParser()
                    .parseResource(new String(body, StandardCharsets.UTF_8));
        } catch (DataFormatException | ClassCastException e) {
            throw new InvalidRequestException("The body is not a FHIR JSON resource: " + e.getMessage());
        }
        if (resource instanceof Parameters parameters && parameters.getParameter("resource") != null
                && parameters.getParameter("resource").getResource() instanceof MedicationRequest order) {
            return order;
        }
        if (resource instanceof MedicationRequest order) {
            return order;
        }
        throw new InvalidRequestException("Expected a MedicationRequest, got " + resource.fhirType());
    }

    @Configuration
    static class Registration {

        @Bean
        NaltrexoneOperations naltrexoneOperations(OrderCheck check, NaltrexoneStatusReport statusReport,
                                                  FhirContext fhirContext, DaoRegistry daos) {
            return new NaltrexoneOperations(check, statusReport, fhirContext, daos);
        }

        @Bean
        FhirServerCustomizer naltrexoneOperationsProvider(NaltrexoneOperations operations) {
            return server -> server.registerProvider(operations);
        }
    }
}
