package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import org.ntx.server.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Our FHIR package: its manifest, the validator built from it, and enforcement on write. */
@Configuration
class ProfilesConfig {

    @Bean
    NaltrexonePackage naltrexonePackage() {
        return NaltrexonePackage.fromClasspath();
    }

    @Bean
    ProfileValidator profileValidator(FhirContext fhirContext) {
        return ProfileValidator.build(fhirContext);
    }

    @Bean
    FhirServerCustomizer profileEnforcement(ProfileValidator validator, FhirContext fhirContext) {
        return server -> server.registerInterceptor(new ProfileEnforcement(validator, fhirContext));
    }
}
