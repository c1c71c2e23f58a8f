package org.ntx.security;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ntx.server.FhirServerCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ResourceLoader;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.io.IOException;
import java.time.Clock;

/**
 * The FHIR API as an OAuth 2.0 resource server: Spring Security validates the Bearer token (401 without a valid one),
 * then HAPI's interceptors apply the token's SMART scopes to every interaction (403 beyond them). The
 * CapabilityStatement and the SMART configuration stay open.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ntx.security.enabled", havingValue = "true")
class FhirSecurityConfig {

    private static final RequestMatcher OPEN = new OrRequestMatcher(
            RequestPaths.exactly("/fhir/metadata"),
            RequestPaths.exactly(SmartDiscovery.PATH),
            RequestPaths.corsPreflight());

    @Bean
    JwtDecoder fhirTokenDecoder(SecurityProperties security, ResourceLoader resources, Clock clock) {
        return FhirTokenDecoder.create(security.issuer(), security.audience(),
                JwkSets.open(security.jwks(), resources),
                new FhirTokenDecoder.Times(security.tokenMaxLifetime(), security.tokenClockSkew(), clock));
    }

    @Bean
    @Order(1)
    SecurityFilterChain fhirApi(HttpSecurity http, JwtDecoder fhirTokenDecoder, FhirContext fhirContext,
                                UnauthenticatedRequests unauthenticated) throws Exception {
        return jwtProtected(http, "/fhir", OPEN, fhirTokenDecoder, new FhirAuthErrors(fhirContext, unauthenticated));
    }

    /**
     * The web page's API ({@code /api}) carries patient data too: the same access tokens, checked per patient by
     * {@link PatientDataAccess}.
     */
    @Bean
    @Order(3)
    SecurityFilterChain webApi(HttpSecurity http, JwtDecoder fhirTokenDecoder, FhirContext fhirContext,
                               UnauthenticatedRequests unauthenticated) throws Exception {
        return jwtProtected(http, "/api", RequestPaths.corsPreflight(), fhirTokenDecoder,
                new FhirAuthErrors(fhirContext, unauthenticated));
    }

    /**
     * The actuator endpoints stay open (status, info, metrics carry no patient data), but a caller may present an
     * access token: then {@code /actuator/health} shows its details ({@code show-details: when-authorized}), which
     * anonymous callers never see. An invalid token is refused with 401 rather than ignored.
     */
    @Bean
    @Order(4)
    SecurityFilterChain actuator(HttpSecurity http, JwtDecoder fhirTokenDecoder, FhirContext fhirContext,
                                 UnauthenticatedRequests unauthenticated) throws Exception {
        FhirAuthErrors errors = new FhirAuthErrors(fhirContext, unauthenticated);
        http.securityMatcher(RequestPaths.under("/actuator"))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .oauth2ResourceServer(oauth -> oauth.jwt(jwt -> jwt.decoder(fhirTokenDecoder))
                        .authenticationEntryPoint(errors));
        return stateless(http).build();
    }

    /** Everything under {@code path} needs a valid access token, except what {@code open} matches. */
    private static SecurityFilterChain jwtProtected(HttpSecurity http, String path, RequestMatcher open,
                                                    JwtDecoder decoder, FhirAuthErrors errors) throws Exception {
        http.securityMatcher(RequestPaths.under(path))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(open).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        .bearerTokenResolver(ignoringTokensOn(open))
                        .jwt(jwt -> jwt.decoder(decoder))
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(errors).accessDeniedHandler(errors));
        return stateless(http).build();
    }

    /** An API chain keeps nothing between requests: no session, no saved request, no CSRF token, no logout page. */
    static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    }

    @Bean
    FhirServerCustomizer smartAuthorization(SecurityProperties security, IJobCoordinator jobs) {
        return server -> {
            server.registerInterceptor(new ExportOwnership(FhirCallers::grantOf, jobs));
            server.registerInterceptor(new SmartAuthorization.PatientCompartmentNarrowing(FhirCallers::grantOf));
            server.registerInterceptor(new ScopeGate(FhirCallers::grantOf));
            server.registerInterceptor(new SmartAuthorization(FhirCallers::grantOf));
            server.registerInterceptor(new SmartDiscovery.CapabilityStatementSecurity(security));
        };
    }

    @Bean
    ServletRegistrationBean<SmartDiscovery.ConfigurationServlet> smartConfiguration(
            SecurityProperties security, ObjectMapper json) throws IOException {
        // An exact servlet mapping wins over HAPI's /fhir/* prefix mapping.
        ServletRegistrationBean<SmartDiscovery.ConfigurationServlet> registration = new ServletRegistrationBean<>(
                new SmartDiscovery.ConfigurationServlet(security, json), SmartDiscovery.PATH);
        registration.setName("smartConfiguration");
        return registration;
    }

    /** Open URLs ignore a token altogether, so a stale token cannot make the CapabilityStatement answer 401. */
    static BearerTokenResolver ignoringTokensOn(RequestMatcher open) {
        DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
        return request -> open.matches(request) ? null : standard.resolve(request);
    }
}
