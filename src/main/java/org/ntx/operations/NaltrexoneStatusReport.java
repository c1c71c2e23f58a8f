package org.ntx.operations;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.ntx.record.RecordTimeline;
import org.ntx.record.StoredTimelines;
import org.ntx.rules.BlockadeState;
import org.ntx.rules.LiverResult;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.NaltrexoneStatus;
import org.ntx.rules.OpioidFreeWindow;
import org.ntx.timeline.DataKind;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;

/**
 * {@code $naltrexone-status} as a Parameters resource: blockade phase and until when, the formulation and next
 * injection, the last opioid exposure and when the induction window closes, and the latest liver results as
 * multiples of the upper limit of normal. Parts that could not be read are listed under {@code unavailable}.
 */
@Component
class NaltrexoneStatusReport {

    private final StoredTimelines timelines;
    private final NaltrexoneRules rules;
    private final Clock clock;

    NaltrexoneStatusReport(StoredTimelines timelines, NaltrexoneRules rules, Clock clock) {
        this.timelines = timelines;
        this.rules = rules;
        this.clock = clock;
    }

    Parameters forPatient(String patientId) {
        Instant asOf = clock.instant();
        RecordTimeline record = timelines.recordFor(patientId);
        Parameters parameters = toParameters(rules.status(record.timeline(), asOf));
        for (String unreadable : record.unreadable()) {
            parameters.addParameter().setName("unreadable").setValue(new Reference(unreadable));
        }
        return parameters;
    }

    static Parameters toParameters(NaltrexoneStatus status) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("patient").setValue(new Reference("Patient/" + status.patientId()));
        parameters.addParameter().setName("asOf").setValue(dateTime(status.asOf()));

        BlockadeState blockade = status.blockade();
        Parameters.ParametersParameterComponent blockadePart = parameters.addParameter().setName("blockade");
        // Without the whole medication record only an active blockade found in what was read is certain: "none" or
        // "lapsed" could be wrong, so the phase is unknown (and "active" is not claimed either way).
        boolean certain = blockade.blocksOpioids() || !status.unavailable().contains(DataKind.MEDICATIONS);
        blockadePart.addPart().setName("phase").setValue(new CodeType(certain
                ? blockade.phase().name().toLowerCase(Locale.ROOT) : "unknown"));
        if (certain) {
            blockadePart.addPart().setName("active").setValue(new BooleanType(blockade.blocksOpioids()));
        }
        blockade.formulation().ifPresent(f -> blockadePart.addPart().setName("formulation")
                .setValue(new CodeType(f.name().toLowerCase(Locale.ROOT).replace('_', '-'))));
        blockade.activeUntil().ifPresent(t -> blockadePart.addPart().setName("activeUntil").setValue(dateTime(t)));
        if (blockade.openEnded()) {
            blockadePart.addPart().setName("openEnded").setValue(new BooleanType(true));
        }
        blockade.waningUntil().ifPresent(t -> blockadePart.addPart().setName("waningUntil").setValue(dateTime(t)));
        blockade.lastInjection().ifPresent(t -> blockadePart.addPart().setName("lastInjection").setValue(dateTime(t)));
        status.nextInjectionDue().ifPresent(t -> blockadePart.addPart().setName("nextInjectionDue")
                .setValue(dateTime(t)));
        blockade.evidence().forEach(e -> blockadePart.addPart().setName("evidence")
                .setValue(new Reference(e.source().reference()).setDisplay(e.description())));

        status.opioidFreeWindow().ifPresent(window -> opioidWindow(parameters, window, status.asOf()));

        for (LiverResult result : status.latestLiverResults()) {
            Parameters.ParametersParameterComponent liver = parameters.addParameter().setName("liverResult");
            liver.addPart().setName("test").setValue(new CodeType(result.test().name().toLowerCase(Locale.ROOT)));
            liver.addPart().setName("value").setValue(new Quantity().setValue(result.value())
                    .setUnit(result.unit().orElse(null)));
            result.upperLimit().ifPresent(uln -> liver.addPart().setName("upperLimitOfNormal")
                    .setValue(new Quantity().setValue(uln).setUnit(result.unit().orElse(null))));
            result.multipleOfUpperLimit().ifPresent(m -> liver.addPart().setName("multipleOfUpperLimit")
                    .setValue(new DecimalType(m)));
            liver.addPart().setName("effective").setValue(dateTime(result.effective()));
            liver.addPart().setName("source").setValue(new Reference(result.source().reference()));
        }
        for (DataKind kind : status.unavailable()) {
            parameters.addParameter().setName("unavailable").setValue(new StringType(kind.label()));
        }
        return parameters;
    }

    private static void opioidWindow(Parameters parameters, OpioidFreeWindow window, Instant asOf) {
        Parameters.ParametersParameterComponent part = parameters.addParameter().setName("opioidFreeWindow");
        part.addPart().setName("lastOpioidExposure").setValue(dateTime(window.lastExposure()));
        part.addPart().setName("closesAt").setValue(dateTime(window.closesAt()));
        part.addPart().setName("open").setValue(new BooleanType(window.isOpenAt(asOf)));
        part.addPart().setName("opioidOngoing").setValue(new BooleanType(window.opioidOngoing()));
        window.evidence().forEach(e -> part.addPart().setName("evidence")
                .setValue(new Reference(e.source().reference()).setDisplay(e.description())));
    }

    private static DateTimeType dateTime(Instant instant) {
        return new DateTimeType(Date.from(instant));
    }
}
