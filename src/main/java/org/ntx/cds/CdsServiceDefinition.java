package org.ntx.cds;

import java.util.Arrays;
import java.util.Optional;

/**
 * Our CDS services, one per hook. The ids are part of the contract with every EHR that registered them: never
 * rename one.
 */
enum CdsServiceDefinition {
    ORDER_SELECT("naltrexone-order-select", CdsHook.ORDER_SELECT, "Naltrexone safety while ordering",
            "While a medication is being chosen: warns about opioids during an active naltrexone blockade, "
                    + "naltrexone inside the opioid-free induction window, and liver safety."),
    ORDER_SIGN("naltrexone-order-sign", CdsHook.ORDER_SIGN, "Naltrexone safety at signing",
            "Before orders are signed: opioid orders during an active naltrexone blockade, naltrexone inside the "
                    + "opioid-free induction window, liver function, and overdose risk after the blockade lapses."),
    PATIENT_VIEW("naltrexone-patient-view", CdsHook.PATIENT_VIEW, "Naltrexone treatment status",
            "When a chart is opened: naltrexone formulation, blockade and next injection, latest liver tests, and "
                    + "overdose risk after a lapsed blockade.");

    private final String id;
    private final CdsHook hook;
    private final String title;
    private final String description;

    CdsServiceDefinition(String id, CdsHook hook, String title, String description) {
        this.id = id;
        this.hook = hook;
        this.title = title;
        this.description = description;
    }

    String id() {
        return id;
    }

    CdsHook hook() {
        return hook;
    }

    String title() {
        return title;
    }

    String description() {
        return description;
    }

    static Optional<CdsServiceDefinition> byId(String id) {
        return Arrays.stream(values()).filter(service -> service.id.equals(id)).findFirst();
    }
}
