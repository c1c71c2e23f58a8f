package org.ntx.security;

/**
 * A CDS Hooks client (an EHR) whose JWT this server verified for the current call. The CDS controller receives it as
 * the authenticated principal ({@code @AuthenticationPrincipal CdsClient client}, or {@code Principal#getName()} for
 * the issuer); with authentication off there is none.
 *
 * @param issuer  the client's {@code iss}, one of {@code ntx.security.cds-clients}
 * @param subject the client's {@code sub} (its client id), if it sent one
 * @param tokenId the JWT's {@code jti}
 * @param tenant  the {@code tenant} claim (the healthcare organization calling), if any
 */
public record CdsClient(String issuer, String subject, String tokenId, String tenant) {}
