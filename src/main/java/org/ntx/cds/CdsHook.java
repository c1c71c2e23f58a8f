package org.ntx.cds;

import java.util.Arrays;
import java.util.Optional;

/** The CDS Hooks hooks we answer (https://cds-hooks.hl7.org/2.0, hooks library). */
enum CdsHook {
    ORDER_SELECT("order-select"),
    ORDER_SIGN("order-sign"),
    PATIENT_VIEW("patient-view");

    private final String wireName;

    CdsHook(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static Optional<CdsHook> fromWireName(String name) {
        return Arrays.stream(values()).filter(hook -> hook.wireName.equals(name)).findFirst();
    }

    /** order-select and order-sign carry the clinician's draft orders in {@code context.draftOrders}. */
    boolean carriesDraftOrders() {
        return this != PATIENT_VIEW;
    }
}
