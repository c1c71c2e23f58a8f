package org.ntx.survival;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * The survival code is compiled by two builds (this server on Java 17 and the Spark job on Java 21+, whose HAPI is
 * Pathling's): it may use only the JDK and Commons Math, never Spring, HAPI, Spark or the server's own packages.
 */
class SurvivalArchitectureTest {

    @Test
    void survivalCodeDependsOnlyOnTheJdkAndCommonsMath() {
        JavaClasses survival = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.ntx.survival");
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.apache.commons.math3..",
                "org.ntx.survival..").check(survival);
    }
}
