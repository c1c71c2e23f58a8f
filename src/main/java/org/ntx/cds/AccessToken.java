package org.ntx.cds;

/**
 * The {@code fhirAuthorization.access_token} a CDS client lends us for reading its FHIR server. It is used for those
 * reads only: never logged, never stored, and {@link #toString()} never shows it.
 */
final class AccessToken {

    private final String value;

    AccessToken(String value) {
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
