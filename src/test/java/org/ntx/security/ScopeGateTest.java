package org.ntx.security;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntx.security.SmartScopeTest.grant;

/** The SMART letters decide the kind of interaction: r reads, s searches, c creates, u updates, d deletes. */
class ScopeGateTest {

    @ParameterizedTest(name = "{0} may {1} {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # scope                     | interaction | type              | allowed
            user/Patient.r              | READ        | Patient           | true
            user/Patient.r              | SEARCH_TYPE | Patient           | false
            user/Patient.s              | SEARCH_TYPE | Patient           | true
            user/Patient.s              | READ        | Patient           | false
            user/Patient.read           | VREAD       | Patient           | true
            user/Patient.read           | CREATE      | Patient           | false
            user/Patient.c              | CREATE      | Patient           | true
            user/Patient.c              | UPDATE      | Patient           | false
            user/Patient.u              | UPDATE      | Patient           | true
            user/Patient.u              | PATCH       | Patient           | true
            user/Patient.u              | DELETE      | Patient           | false
            user/Patient.d              | DELETE      | Patient           | true
            user/Patient.write          | DELETE      | Patient           | true
            user/*.rs                   | META        | Observation       | true
            user/*.rs                   | META_ADD    | Observation       | false
            user/*.rs                   | SEARCH_SYSTEM | -               | true
            user/Patient.r              | SEARCH_SYSTEM | -               | false
            user/*.rs                   | VALIDATE    | Patient           | false
            user/Patient.c              | VALIDATE    | Patient           | true
            patient/*.rs                | READ        | Patient           | false
            ntx/research                | READ        | Patient           | false
            ntx/research                | READ        | Binary            | true
            ntx/research                | EXTENDED_OPERATION_SERVER | -   | true
            user/*.cruds                | GRAPHQL_REQUEST | -             | false
            """)
    void checksTheInteractionAgainstThePermissionLetters(String scope, RestOperationTypeEnum interaction,
                                                         String type, boolean allowed) {
        AccessGrant grant = grant(scope, null);
        assertThat(ScopeGate.refusal(grant, interaction, type.equals("-") ? null : type).isEmpty())
                .isEqualTo(allowed);
    }
}
