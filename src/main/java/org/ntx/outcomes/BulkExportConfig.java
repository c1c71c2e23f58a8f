package org.ntx.outcomes;

import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import org.ntx.server.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * FHIR Bulk Data {@code $export} (system, Patient and Group level, ndjson) through HAPI's batch jobs. Researchers
 * export the data and run the outcome views on their own engine (see the README's "Scaling past one machine").
 *
 * @see <a href="https://hapifhir.io/hapi-fhir/docs/server_jpa/bulk_data.html">HAPI Bulk Data</a>
 */
@Configuration
class BulkExportConfig {

    @Bean
    FhirServerCustomizer bulkExport(BulkDataExportProvider provider) {
        return server -> server.registerProvider(provider);
    }
}
