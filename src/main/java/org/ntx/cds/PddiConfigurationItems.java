package org.ntx.cds;

import ca.uhn.fhir.rest.api.server.cdshooks.CdsHooksExtension;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The discovery extension of the PDDI CDS IG (cds-service-spec, "CDS Discovery"): the configuration options a service
 * reads, each as {@code {code, type, name, description}}. The order-select service offers
 * {@code cache-for-order-sign-filtering}, the order-sign service {@code filter-out-repeated-alerts}.
 */
class PddiConfigurationItems extends CdsHooksExtension {

    record Item(String code, String type, String name, String description) {}

    @JsonProperty("configuration-items")
    private final List<Item> items;

    PddiConfigurationItems(List<Item> items) {
        this.items = List.copyOf(items);
    }

    List<Item> getItems() {
        return items;
    }

    /** What each coordinated service offers; empty for patient-view, where the options serve no purpose. */
    static List<Item> offeredBy(CdsHook hook) {
        return switch (hook) {
            case ORDER_SELECT -> List.of(new Item(CdsRequestParser.CACHE_FOR_ORDER_SIGN_FILTERING, "boolean",
                    "Cache for order-sign filtering",
                    "Remember the cards returned now, so that order-sign can leave out the ones it would repeat"
                            + " (send filter-out-repeated-alerts to order-sign)"));
            case ORDER_SIGN -> List.of(new Item(CdsRequestParser.FILTER_OUT_REPEATED_ALERTS, "boolean",
                    "Filter out repeated alerts",
                    "true: leave out cards already returned at order-select (cached there) for the same prescriber,"
                            + " patient, encounter and unchanged order; an info card notes each. false: return every"
                            + " card, even ones already answered through feedback"));
            case PATIENT_VIEW -> List.of();
        };
    }
}
