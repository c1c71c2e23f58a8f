package org.ntx.terminology;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The classifiers as beans; reading the value sets happens once, here. */
@Configuration
class TerminologyConfig {

    @Bean
    Terminology terminology() {
        return Terminology.fromClasspath();
    }

    @Bean
    MedicationClassifier medicationClassifier(Terminology terminology) {
        return terminology.medications();
    }

    @Bean
    LabClassifier labClassifier(Terminology terminology) {
        return terminology.labs();
    }

    @Bean
    ConditionClassifier conditionClassifier(Terminology terminology) {
        return terminology.conditions();
    }
}
