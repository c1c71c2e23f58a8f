package org.ntx.cds;

import java.security.Principal;
import java.util.Optional;

/**
 * Who called, as the card log records it: a card is answered, and recognised again at order-sign, only by the caller
 * it was issued to. A CDS client is named by its JWT's {@code iss}; the web page's user by the access token's
 * subject. With authentication off there is no one to tell apart: CDS clients are then all the same caller, and the
 * web page another.
 */
final class CdsCaller {

    private CdsCaller() {}

    /** What the card log column holds. */
    static final int MAX_LENGTH = 300;

    static Optional<String> client(Principal client) {
        return client == null ? Optional.empty() : Optional.of(bounded("cds-client " + client.getName()));
    }

    static Optional<String> webPage(Principal user) {
        return Optional.of(user == null ? "web-page" : bounded("web-page " + user.getName()));
    }

    /** An issuer or subject too long for the column is kept as its digest: still one caller, still told apart. */
    private static String bounded(String caller) {
        return caller.length() <= MAX_LENGTH ? caller : "digest " + CardBasis.digest(caller);
    }
}
