package org.ntx.record;

import org.ntx.terminology.ConditionClassifier;
import org.ntx.terminology.LabClassifier;
import org.ntx.terminology.MedicationClassifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The mapper as a bean. {@link TimelineMapper} itself carries no Spring annotation: it is pure over HAPI's R4 model
 * and the terminology, so the Spark job (analytics/) compiles the same file and reads exported records exactly as the
 * CDS services and {@code $naltrexone-outcomes} read stored ones.
 */
@Configuration
class RecordMapping {

    @Bean
    TimelineMapper timelineMapper(MedicationClassifier medications, LabClassifier labs, ConditionClassifier conditions) {
        return new TimelineMapper(medications, labs, conditions);
    }
}
