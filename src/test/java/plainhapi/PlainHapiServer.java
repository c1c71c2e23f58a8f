package plainhapi;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The benchmark's reference for start-up time: a plain HAPI FHIR 8.8.0 JPA server, with the same HAPI modules and the
 * same storage wiring as ours ({@code org.ntx.persistence}) but nothing of our own: no profiles package, no CDS
 * services, no security, no audit, no web page. A RestfulServer with HAPI's resource providers at {@code /fhir}.
 * Started by {@code Benchmark} from the test classpath, like our server in that comparison. It lives outside
 * {@code org.ntx} so that our application's component scan, which covers the test classes in the integration tests,
 * never picks it up.
 */
@SpringBootApplication(scanBasePackages = {"plainhapi", "org.ntx.persistence"},
        exclude = {SecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class,
                ManagementWebSecurityAutoConfiguration.class})
@ConfigurationPropertiesScan("org.ntx.persistence")
@Import({JpaR4Config.class, JpaBatch2Config.class, Batch2JobsConfig.class, SubscriptionChannelConfig.class})
public class PlainHapiServer {

    public static void main(String[] args) {
        SpringApplication.run(PlainHapiServer.class, args);
    }

    @Bean
    ServletRegistrationBean<RestfulServer> plainFhirServlet(IFhirSystemDao<?, ?> systemDao,
                                                            ResourceProviderFactory resourceProviders,
                                                            IJpaSystemProvider systemProvider,
                                                            DatabaseBackedPagingProvider pagingProvider) {
        RestfulServer server = new RestfulServer(systemDao.getContext());
        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
