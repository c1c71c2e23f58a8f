package org.ntx.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies the JWT a CDS Hooks client sends with every service call (CDS Hooks 2.0, "Trusting CDS Clients"): signed
 * with an asymmetric algorithm by a key of a configured client, {@code aud} the service URL called, {@code exp},
 * {@code iat} and (when present) {@code nbf} within the clock skew, {@code exp} at most 5 minutes ahead, and {@code jti} never seen before.
 *
 * <p>Keys: the client's JWK Set configured out of band; a {@code jku} in the token header is followed only when it is
 * on the allowlist (and only if the configured keys do not already match). The public CDS Hooks sandbox puts an
 * internet {@code jku} in every token: configure its JWK Set as a file and leave the {@code jku} off the allowlist.
 */
final class CdsClientTokenVerifier {

    /** CDS Hooks 2.0: "exp ... MUST be no more than 5 minutes in the future". */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    enum Refusal {
        MALFORMED, UNSIGNED, ALGORITHM_NOT_ALLOWED, UNKNOWN_ISSUER, NO_MATCHING_KEY, KEYS_UNAVAILABLE, BAD_SIGNATURE,
        WRONG_AUDIENCE, MISSING_CLAIM, EXPIRED, LIFETIME_TOO_LONG, ISSUED_IN_FUTURE, NOT_YET_VALID, REPLAYED,
        REPLAY_CACHE_FULL
    }

    /** The token was refused; the message is safe to send back (it never repeats the token). */
    static final class Rejected extends Exception {
        private final Refusal refusal;

        Rejected(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }

        Refusal refusal() {
            return refusal;
        }
    }

    private final Map<String, JWKSource<SecurityContext>> trustedIssuers;
    private final Set<String> jkuAllowlist;
    private final Function<String, JWKSource<SecurityContext>> jkuSources;
    private final JtiReplayCache replays;
    private final Duration clockSkew;
    private final Clock clock;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    /**
     * @param trustedIssuers each trusted {@code iss} with its configured keys; a {@code null} value means "keys from
     *                       an allowlisted {@code jku} only"
     * @param jkuSources     opens (and caches) a remote JWK Set for an allowlisted URL
     */
    CdsClientTokenVerifier(Map<String, JWKSource<SecurityContext>> trustedIssuers, Set<String> jkuAllowlist,
                           Function<String, JWKSource<SecurityContext>> jkuSources, JtiReplayCache replays,
                           Duration clockSkew, Clock clock) {
        this.trustedIssuers = trustedIssuers;
        this.jkuAllowlist = Set.copyOf(jkuAllowlist);
        this.jkuSources = jkuSources;
        this.replays = replays;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /**
     * @param acceptedAudiences the service URLs this call may be addressed to, normalized by
     *                          {@link CdsServiceUrls#normalize(String)}
     */
    CdsClient verify(String token, Set<String> acceptedAudiences) throws Rejected {
        SignedJWT jwt = parseSigned(token);
        JWSHeader header = jwt.getHeader();
        if (!JwkSets.ASYMMETRIC.contains(header.getAlgorithm())) {
            throw new Rejected(Refusal.ALGORITHM_NOT_ALLOWED, "Signature algorithm " + header.getAlgorithm()
                    + " is not accepted; sign with an asymmetric algorithm such as ES384 or RS384");
        }
        JWTClaimsSet claims = claims(jwt);
        String issuer = claims.getIssuer();
        if (issuer == null || !trustedIssuers.containsKey(issuer)) {
            throw new Rejected(Refusal.UNKNOWN_ISSUER, "The token's issuer is not a trusted CDS client");
        }
        verifySignature(jwt, issuer);
        if (claims.getAudience().stream().map(CdsServiceUrls::normalize).noneMatch(acceptedAudiences::contains)) {
            throw new Rejected(Refusal.WRONG_AUDIENCE, "The token's audience is not the URL of this CDS service");
        }

        Instant now = clock.instant();
        Instant expires = required(claims.getExpirationTime(), "exp");
        if (!expires.plus(clockSkew).isAfter(now)) {
            throw new Rejected(Refusal.EXPIRED, "The token has expired");
        }
        if (expires.isAfter(now.plus(MAX_LIFETIME).plus(clockSkew))) {
            throw new Rejected(Refusal.LIFETIME_TOO_LONG, "The token expires more than 5 minutes from now");
        }
        Instant issued = required(claims.getIssueTime(), "iat");
        if (issued.isAfter(now.plus(clockSkew))) {
            throw new Rejected(Refusal.ISSUED_IN_FUTURE, "The token was issued in the future");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().isAfter(now.plus(clockSkew))) {
            throw new Rejected(Refusal.NOT_YET_VALID, "The token is not valid yet (nbf)");
        }
        String tokenId = claims.getJWTID();
        if (tokenId == null || tokenId.isBlank()) {
            throw new Rejected(Refusal.MISSING_CLAIM, "The token has no jti");
        }
        switch (replays.use(issuer + ' ' + tokenId, expires.plus(clockSkew), now)) {
            case REPLAYED -> throw new Rejected(Refusal.REPLAYED, "The token has already been used (jti)");
            case FULL -> throw new Rejected(Refusal.REPLAY_CACHE_FULL, "Too many calls; try again shortly");
            case FIRST -> {
            }
        }
        return new CdsClient(issuer, claims.getSubject(), tokenId, tenant(claims));
    }

    private static SignedJWT parseSigned(String token) throws Rejected {
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new Rejected(Refusal.MALFORMED, "The bearer token is not a JWT");
        }
        if (parsed instanceof PlainJWT) {
            throw new Rejected(Refusal.UNSIGNED, "Unsigned tokens (alg none) are not accepted");
        }
        if (parsed instanceof SignedJWT signed) {
            return signed;
        }
        throw new Rejected(Refusal.MALFORMED, "Encrypted tokens are not accepted");
    }

    private static JWTClaimsSet claims(SignedJWT jwt) throws Rejected {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Rejected(Refusal.MALFORMED, "The token's claims cannot be read");
        }
    }

    private void verifySignature(SignedJWT jwt, String issuer) throws Rejected {
        for (JWK candidate : candidateKeys(jwt.getHeader(), issuer)) {
            Key key = publicKey(candidate);
            if (key == null) {
                continue;
            }
            try {
                JWSVerifier verifier = verifiers.createJWSVerifier(jwt.getHeader(), key);
                if (jwt.verify(verifier)) {
                    return;
                }
            } catch (JOSEException e) {
                // Not a key for this algorithm: try the next one.
            }
        }
        throw new Rejected(Refusal.BAD_SIGNATURE, "The token's signature does not verify with the client's keys");
    }

    /** The client's configured keys that fit the header; failing those, the allowlisted {@code jku}'s keys. */
    private List<JWK> candidateKeys(JWSHeader header, String issuer) throws Rejected {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
        List<JWK> keys = new ArrayList<>();
        try {
            JWKSource<SecurityContext> configured = trustedIssuers.get(issuer);
            if (configured != null) {
                keys.addAll(configured.get(selector, null));
            }
            String jku = header.getJWKURL() == null ? null : header.getJWKURL().toString();
            if (keys.isEmpty() && jku != null && jkuAllowlist.contains(jku)) {
                keys.addAll(jkuSources.apply(jku).get(selector, null));
            }
        } catch (KeySourceException e) {
            throw new Rejected(Refusal.KEYS_UNAVAILABLE, "The client's keys could not be retrieved");
        }
        if (keys.isEmpty()) {
            throw new Rejected(Refusal.NO_MATCHING_KEY, "No key of this client matches the token's kid and algorithm");
        }
        return keys;
    }

    private static Key publicKey(JWK key) {
        try {
            if (key instanceof RSAKey rsa) {
                return rsa.toRSAPublicKey();
            }
            if (key instanceof ECKey ec) {
                return ec.toECPublicKey();
            }
        } catch (JOSEException e) {
            return null;
        }
        return null;
    }

    private static Instant required(Date value, String claim) throws Rejected {
        if (value == null) {
            throw new Rejected(Refusal.MISSING_CLAIM, "The token has no " + claim);
        }
        return value.toInstant();
    }

    private static String tenant(JWTClaimsSet claims) {
        Object tenant = claims.getClaim("tenant");
        return tenant instanceof String text ? text : null;
    }
}
