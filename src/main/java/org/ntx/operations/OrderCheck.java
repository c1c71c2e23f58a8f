package org.ntx.operations;

import org.hl7.fhir.r4.model.Resource;
import org.ntx.record.RecordReader;
import org.ntx.record.RecordRequest;
import org.ntx.record.RecordTimeline;
import org.ntx.rules.Finding;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.RuleInput;
import org.ntx.rules.Trigger;
import org.ntx.rules.UnreadableRecords;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The CDS services' rules for clients without CDS Hooks ({@code $naltrexone-check}, the write-time check): the
 * patient's record from this server's own store, the given resources as draft orders, as of now.
 */
@Component
class OrderCheck {

    private final RecordReader reader;
    private final NaltrexoneRules rules;
    private final Clock clock;

    OrderCheck(RecordReader reader, NaltrexoneRules rules, Clock clock) {
        this.reader = reader;
        this.rules = rules;
        this.clock = clock;
    }

    List<Finding> assess(String patientId, List<Resource> drafts, Trigger trigger) {
        Instant asOf = clock.instant();
        RecordTimeline record = reader.read(RecordRequest.fromStore(patientId, drafts), asOf);
        return UnreadableRecords.named(rules.evaluate(new RuleInput(record.timeline(), record.drafts(), asOf, trigger)),
                record.unreadableByKind());
    }
}
