package org.ntx.persistence;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Storage settings we choose for HAPI's JPA layer ({@code ntx.storage.*}).
 *
 * @param defaultPageSize search page size when a client does not ask for one
 * @param maxPageSize     the largest {@code _count} a client may ask for
 * @param allowExternalReferences whether references to other servers may be stored (EHRs send them)
 * @param expungeEnabled whether {@code $expunge} (deleting resources and their history for good) is offered; off by
 *                       default, as a hospital's record must not lose history through the API
 * @param statementTimeout the longest any one database statement may run before the database cancels it
 *                         ({@link StatementTimeout}); {@code 0} for none
 */
@Validated
@ConfigurationProperties("ntx.storage")
public record StorageProperties(
        @DefaultValue("20") @Min(1) int defaultPageSize,
        @DefaultValue("500") @Min(1) int maxPageSize,
        @DefaultValue("true") boolean allowExternalReferences,
        @DefaultValue("false") boolean expungeEnabled,
        @DefaultValue("30s") Duration statementTimeout) {

    static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
}
