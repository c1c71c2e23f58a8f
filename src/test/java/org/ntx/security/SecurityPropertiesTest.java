package org.ntx.security;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication cannot be switched on without saying whose tokens to trust. */
class SecurityPropertiesTest {

    final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void needsIssuerAndKeysWhenEnabled() {
        assertThat(validator.validate(properties(true, null, null)))
                .singleElement().satisfies(violation -> assertThat(violation.getMessage())
                        .contains("ntx.security.issuer").contains("ntx.security.jwks"));
        assertThat(validator.validate(properties(true, "https://idp", "/etc/jwks.json"))).isEmpty();
    }

    @Test
    void needsNothingWhenDisabled() {
        assertThat(validator.validate(properties(false, null, null))).isEmpty();
    }

    private static SecurityProperties properties(boolean enabled, String issuer, String jwks) {
        return new SecurityProperties(enabled, false, issuer, jwks, null, null, null, Duration.ofHours(1),
                Duration.ofSeconds(60));
    }
}
