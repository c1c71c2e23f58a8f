package org.ntx.server;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What one request may cost the server ({@code ntx.limits.*}); beyond each limit the request is refused with a 4xx
 * that says which limit, before the work starts.
 *
 * @param maxRequestSize   the largest request body (413 beyond it), except FHIR transactions and batches
 * @param maxTransactionSize the largest transaction or batch POSTed to {@code /fhir} (413 beyond it): large enough
 *                         for a real Synthea patient bundle
 * @param maxSortKeys      the most {@code _sort} keys in one search (each key is a join; repeated keys grew the query
 *                         exponentially: six took 61 s on PostgreSQL)
 * @param maxIncludes      the most {@code _include} and {@code _revinclude} parameters together in one search
 * @param maxBundleEntries the most entries in one transaction or batch: large enough for a real Synthea patient
 *                         bundle (a lifetime's record; the largest of 40 Synthea 3.3.0 patients had 11,784 entries in
 *                         32 MB), and in proportion to {@code maxTransactionSize}
 * @param maxBundleReads   the most GET or HEAD entries in one transaction or batch: each is a search or read of its
 *                         own, so their cost is that of as many requests (2,000 searches in one batch held a request
 *                         for over a minute), while a write entry of a patient bundle is cheap
 * @param maxDraftOrders   the most draft orders in one CDS Hooks request ({@code context.draftOrders})
 */
@Validated
@ConfigurationProperties("ntx.limits")
public record LimitProperties(
        @DefaultValue("10MB") DataSize maxRequestSize,
        @DefaultValue("128MB") DataSize maxTransactionSize,
        @DefaultValue("3") @Min(1) int maxSortKeys,
        @DefaultValue("5") @Min(0) int maxIncludes,
        @DefaultValue("50000") @Min(1) int maxBundleEntries,
        @DefaultValue("100") @Min(1) int maxBundleReads,
        @DefaultValue("100") @Min(1) int maxDraftOrders) {}
