package org.ntx.security;

import java.util.List;

/**
 * What the CDS Hooks controller reports about one call, for {@link AuditTrail#cdsCall(CdsAuditRecord)}. Ids and
 * codes only: no resource content, no names.
 *
 * @param serviceId    the CDS service called, e.g. {@code naltrexone-order-check}
 * @param hook         the hook from the request, e.g. {@code order-sign}
 * @param hookInstance the request's {@code hookInstance}
 * @param client       the verified CDS client ({@code Principal#getName()}, its {@code iss}); {@code null} when
 *                     authentication is off
 * @param userId       {@code context.userId}, e.g. {@code Practitioner/123}; may be {@code null}
 * @param patientId    {@code context.patientId}; may be {@code null}
 * @param cardCount    how many cards the response carried
 * @param cardTopics   the topics of those cards (e.g. {@code card.source.topic} codes); may be empty
 * @param httpStatus   the status the call was answered with (200, or the error status)
 */
public record CdsAuditRecord(
        String serviceId,
        String hook,
        String hookInstance,
        String client,
        String userId,
        String patientId,
        int cardCount,
        List<String> cardTopics,
        int httpStatus) {

    public CdsAuditRecord {
        cardTopics = cardTopics == null ? List.of() : List.copyOf(cardTopics);
    }
}
