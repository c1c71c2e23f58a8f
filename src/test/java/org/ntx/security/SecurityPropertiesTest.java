package org.ntx.security;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication cannot be switched on without saying whose tokens to trust. */
class SecurityPropertiesTest {

    final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void needsIssuerAndKeysWhenEnabled() {
        assertThat(validator.validate(new SecurityProperties(true, false, null, null, null, null, null)))
                .singleElement().satisfies(violation -> assertThat(violation.getMessage())
                        .contains("ntx.security.issuer").contains("ntx.security.jwks"));
        assertThat(validator.validate(new SecurityProperties(true, false, "https://idp", "/etc/jwks.json", null,
                null, null))).isEmpty();
    }

    @Test
    void needsNothingWhenDisabled() {
        assertThat(validator.validate(new SecurityProperties(false, false, null, null, null, null, null))).isEmpty();
    }
}
