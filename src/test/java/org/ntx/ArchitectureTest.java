package org.ntx;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The way data flows, held against the code: sources -> record -> timeline -> rules -> the four ways out (CDS Hooks,
 * FHIR operations, research outcomes, the web page). Each package knows only those below it; the clinical core knows
 * no framework at all.
 */
class ArchitectureTest {

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ntx");

    static final String SOURCE = "org.ntx.source..";
    static final String RECORD = "org.ntx.record..";
    static final String TIMELINE = "org.ntx.timeline..";
    static final String RULES = "org.ntx.rules..";
    static final String RULE_CONFIG = "org.ntx.ruleconfig..";
    static final String CARD_LOG = "org.ntx.cardlog..";
    static final String CDS = "org.ntx.cds..";
    static final String OPERATIONS = "org.ntx.operations..";
    static final String OUTCOMES = "org.ntx.outcomes..";
    static final String WEB = "org.ntx.web..";

    @Test
    void timelineKnowsNothingButItself() {
        classes().that().resideInAPackage(TIMELINE)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", TIMELINE)
                .because("the timeline is plain records: no Spring, no HAPI, no FHIR model")
                .check(MAIN);
    }

    @Test
    void rulesKnowOnlyTheTimeline() {
        classes().that().resideInAPackage(RULES)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", TIMELINE, RULES)
                .because("a rule is a pure function of a timeline and an asOf: no Spring, no HAPI, no FHIR model")
                .check(MAIN);
    }

    @Test
    void sourcesKnowNothingOfRecordsRulesOrTheWaysOut() {
        noClasses().that().resideInAPackage(SOURCE)
                .should().dependOnClassesThat().resideInAnyPackage(
                        RECORD, TIMELINE, RULES, RULE_CONFIG, CARD_LOG, CDS, OPERATIONS, OUTCOMES, WEB)
                .because("a source only fetches FHIR resources; what they mean is decided above it")
                .check(MAIN);
    }

    @Test
    void theRecordLayerKnowsNothingOfRulesOrTheWaysOut() {
        noClasses().that().resideInAPackage(RECORD)
                .should().dependOnClassesThat().resideInAnyPackage(
                        RULES, RULE_CONFIG, CARD_LOG, CDS, OPERATIONS, OUTCOMES, WEB)
                .because("every way out reads records through this layer, so it must not lean on any of them")
                .check(MAIN);
    }

    @Test
    void theCardLogKnowsNothingOfItsWritersOrReaders() {
        noClasses().that().resideInAPackage(CARD_LOG)
                .should().dependOnClassesThat().resideInAnyPackage(CDS, OPERATIONS, OUTCOMES, WEB)
                .because("the CDS services write it and the research outcomes read it")
                .check(MAIN);
    }

    @Test
    void onlyTheCdsPackageKnowsCdsHooks() {
        noClasses().that().resideInAnyPackage(OPERATIONS, OUTCOMES, WEB, RECORD, SOURCE, CARD_LOG)
                .should().dependOnClassesThat().resideInAnyPackage(CDS, "ca.uhn.hapi.fhir.cdshooks..")
                .because("CDS Hooks is one transport; operations, outcomes and the web page read records directly")
                .check(MAIN);
    }

    @Test
    void theWaysOutDoNotLeanOnEachOther() {
        noClasses().that().resideInAPackage(CDS)
                .should().dependOnClassesThat().resideInAnyPackage(OPERATIONS, OUTCOMES, WEB).check(MAIN);
        noClasses().that().resideInAPackage(OPERATIONS)
                .should().dependOnClassesThat().resideInAnyPackage(OUTCOMES, WEB).check(MAIN);
        noClasses().that().resideInAPackage(OUTCOMES)
                .should().dependOnClassesThat().resideInAnyPackage(OPERATIONS, WEB).check(MAIN);
        noClasses().that().resideInAPackage(WEB)
                .should().dependOnClassesThat().resideInAnyPackage(OPERATIONS, OUTCOMES).check(MAIN);
    }
}
