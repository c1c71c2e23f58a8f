package org.ntx.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** A verified CDS client as Spring Security's authentication; its name is the client's {@code iss}. */
final class CdsClientAuthentication extends AbstractAuthenticationToken {

    private final CdsClient client;

    CdsClientAuthentication(CdsClient client) {
        super(AuthorityUtils.createAuthorityList("ROLE_CDS_CLIENT"));
        this.client = client;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        // The JWT is not kept: it was single-use and is of no further value.
        return null;
    }

    @Override
    public CdsClient getPrincipal() {
        return client;
    }

    @Override
    public String getName() {
        return client.issuer();
    }
}
