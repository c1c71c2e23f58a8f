package org.ntx.source;

/**
 * The {@code fhirAuthorization.access_token} a CDS client lends us for reading its FHIR server. It is used for those
 * reads only ({@link RemoteFhirSource}, the one reader of its value): never logged, never stored, and
 * {@link #toString()} never shows it.
 */
public final class AccessToken {

    private final String value;

    public AccessToken(String value) {
        this.value = value;
    }

    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "AccessToken[redacted]";
    }
}
