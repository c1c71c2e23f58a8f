package org.ntx.cds;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseSuggestionActionJson;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * HAPI's suggestion action plus the CDS Hooks 2.0 {@code resourceId} field that a {@code delete} action uses to name
 * the draft orders to remove (HAPI 8.8.0's model predates it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
class SuggestionActionJson extends CdsServiceResponseSuggestionActionJson {

    @JsonProperty("resourceId")
    private List<String> resourceId;

    List<String> getResourceId() {
        return resourceId;
    }

    SuggestionActionJson setResourceId(List<String> resourceId) {
        this.resourceId = resourceId;
        return this;
    }
}
