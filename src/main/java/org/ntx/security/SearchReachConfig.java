package org.ntx.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.ntx.server.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link SearchReach} on the FHIR endpoint, with authentication on or off (off: malformed searches only). */
@Configuration(proxyBeanMethods = false)
class SearchReachConfig {

    @Bean
    FhirServerCustomizer searchReach(SecurityProperties security, FhirContext fhirContext,
                                     ISearchParamRegistry searchParams) {
        return server -> server.registerInterceptor(
                new SearchReach(FhirCallers::grantOf, fhirContext, (type, name) -> searchParams.getActiveSearchParam(
                        type, name, ISearchParamRegistry.SearchParamLookupContextEnum.ALL), security.enabled()));
    }
}
