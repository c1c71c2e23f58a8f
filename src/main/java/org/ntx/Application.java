package org.ntx;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * The Naltrexone FHIR Service: a HAPI FHIR R4 JPA server with naltrexone profiles and CDS Hooks services.
 *
 * <p>HAPI's own Spring configuration supplies the DAOs, search and batch jobs; our packages add storage settings
 * ({@code persistence}), the REST endpoint ({@code server}) and the clinical capabilities.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
// SubscriptionChannelConfig supplies the in-process message broker that HAPI's batch jobs (bulk export,
// terminology storage) run on; we use no subscriptions.
@Import({JpaR4Config.class, JpaBatch2Config.class, Batch2JobsConfig.class, SubscriptionChannelConfig.class})
public class Application {

    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
    }
}
