package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hapi.fhir.cdshooks.module.CdsHooksObjectMapperFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/** Writes HAPI's CDS Hooks JSON models, including FHIR resources inside suggestions, with HAPI's own mapper. */
@Component
class CdsJson {

    private final ObjectMapper mapper;

    CdsJson(FhirContext fhirContext) {
        this.mapper = new CdsHooksObjectMapperFactory(fhirContext).newMapper();
    }

    String write(Object model) {
        try {
            return mapper.writeValueAsString(model);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write CDS Hooks JSON", e);
        }
    }
}
