package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.validation.JpaValidationSupportChain;
import org.ntx.server.FhirServerCustomizer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Our FHIR package: its manifest, the validator built from it, and enforcement on write. */
@Configuration
class ProfilesConfig {

    @Bean
    NaltrexonePackage naltrexonePackage() {
        return NaltrexonePackage.fromClasspath();
    }

    /**
     * @param reuseValidators {@code false} falls back to HAPI's FhirInstanceValidator, which builds a new HL7 validator
     *                        per resource: the benchmark measures it as the "before" of {@link ReusedInstanceValidators}
     */
    @Bean
    ProfileValidator profileValidator(FhirContext fhirContext,
                                      @Value("${ntx.validation.reuse-validators:true}") boolean reuseValidators) {
        return reuseValidators ? ProfileValidator.build(fhirContext)
                : ProfileValidator.withHapiInstanceValidator(fhirContext);
    }

    /**
     * HAPI's own {@code $validate} uses its JPA validation chain; give it the same rule for RxNorm, LOINC and SNOMED CT
     * codes as our write-time validator (unknown code system: warning; value-set membership still checked), so
     * {@code $validate} and writes agree.
     */
    @Bean
    SmartInitializingSingleton externalCodeSystemsInJpaValidation(JpaValidationSupportChain chain,
                                                                  FhirContext fhirContext) {
        return () -> chain.addValidationSupport(ProfileValidator.unknownCodeSystemsWarn(fhirContext));
    }

    /** Claims of profiles this server does not know are answered with a warning (see {@link ProfileClaims}). */
    @Bean
    FhirServerCustomizer profileClaims(JpaValidationSupportChain knownProfiles) {
        return server -> server.registerInterceptor(new ProfileClaims(knownProfiles));
    }

    /**
     * @param rememberShapes {@code false} sends every resource that claims our profiles through the validator, even
     *                       when one of the same shape passed before (see {@link ConformingShapes}); the benchmark's
     *                       second node and {@code --profile} use it to measure the validator itself
     */
    @Bean
    FhirServerCustomizer profileEnforcement(ProfileValidator validator, FhirContext fhirContext,
                                            @Value("${ntx.validation.remember-conforming-shapes:true}")
                                            boolean rememberShapes) {
        return server -> server.registerInterceptor(new ProfileEnforcement(validator, fhirContext, rememberShapes));
    }
}
