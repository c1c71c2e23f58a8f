package org.ntx.server;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The FHIR REST endpoint at {@code /fhir}: HAPI's {@link RestfulServer} over the JPA DAOs. Capabilities add their
 * operations and interceptors through {@link FhirServerCustomizer} beans.
 */
@Configuration
class FhirEndpointConfig {

    static final String FHIR_PATH = "/fhir";

    @Bean
    RestfulServer restfulServer(
            IFhirSystemDao<?, ?> systemDao,
            ResourceProviderFactory resourceProviders,
            IJpaSystemProvider systemProvider,
            ValueSetOperationProvider valueSetOperations,
            DatabaseBackedPagingProvider pagingProvider,
            CapabilityStatementInputs capabilityInputs,
            ServerProperties properties,
            StrictWrites strictWrites,
            ObjectProvider<FhirServerCustomizer> customizers) {
        RestfulServer server = new RestfulServer(systemDao.getContext());
        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        server.registerProvider(valueSetOperations);
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setServerConformanceProvider(capabilityInputs.provider(server, systemDao));
        server.setServerAddressStrategy(StringUtils.hasText(properties.publicBaseUrl())
                ? new HardcodedServerAddressStrategy(properties.publicBaseUrl())
                : new BoundAddressStrategy());
        server.registerInterceptor(new DatabaseOutage.Interceptor());
        server.registerInterceptor(new UnreadableInput());
        server.registerInterceptor(new UnsupportedOperations(capabilityInputs.storageSettings().isExpungeEnabled()));
        server.registerInterceptor(strictWrites.hooks());
        customizers.orderedStream().forEach(customizer -> customizer.customize(server));
        return server;
    }

    @Bean
    StrictWrites strictWrites(IFhirSystemDao<?, ?> systemDao) {
        return new StrictWrites(systemDao.getContext());
    }

    /** Whatever happens to a FHIR request, its thread leaves it reading leniently again. */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> strictWritesReset(StrictWrites strictWrites) {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                try {
                    chain.doFilter(request, response);
                } finally {
                    strictWrites.requestFinished();
                }
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(FHIR_PATH + "/*");
        return registration;
    }

    @Bean
    CapabilityStatementInputs capabilityStatementInputs(
            JpaStorageSettings storageSettings, ISearchParamRegistry searchParams, IValidationSupport validationSupport) {
        return new CapabilityStatementInputs(storageSettings, searchParams, validationSupport);
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, FHIR_PATH + "/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /** What HAPI's CapabilityStatement provider reads besides the server itself. */
    record CapabilityStatementInputs(
            JpaStorageSettings storageSettings, ISearchParamRegistry searchParams, IValidationSupport validationSupport) {

        JpaCapabilityStatementProvider provider(RestfulServer server, IFhirSystemDao<?, ?> systemDao) {
            JpaCapabilityStatementProvider provider = new JpaCapabilityStatementProvider(
                    server, systemDao, storageSettings, searchParams, validationSupport);
            provider.setImplementationDescription("Naltrexone FHIR Service");
            return provider;
        }
    }
}
