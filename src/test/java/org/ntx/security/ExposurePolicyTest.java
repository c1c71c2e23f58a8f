package org.ntx.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntx.security.ExposurePolicy.Decision;

import static org.assertj.core.api.Assertions.assertThat;

/** Without authentication the server may listen on loopback only, unless the operator accepts the risk. */
class ExposurePolicyTest {

    @ParameterizedTest(name = "''{0}'' is loopback: {1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            127.0.0.1        | true
            127.0.0.2        | true
            ::1              | true
            [::1]            | true
            0:0:0:0:0:0:0:1  | true
            localhost        | true
            LocalHost        | true
            null             | false
            ''               | false
            0.0.0.0          | false
            ::               | false
            192.168.1.20     | false
            10.0.0.5         | false
            fe80::1          | false
            ntx.example.org  | false
            localhost.evil   | false
            """)
    void classifiesTheConfiguredAddress(String address, boolean loopback) {
        assertThat(ExposurePolicy.isLoopback(address)).isEqualTo(loopback);
    }

    @ParameterizedTest(name = "address {0}, security {1}, allow-insecure {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            127.0.0.1 | false | false | OPEN_ON_LOOPBACK
            null      | false | false | REFUSED
            0.0.0.0   | false | false | REFUSED
            0.0.0.0   | false | true  | OPEN_ON_NETWORK_BY_REQUEST
            0.0.0.0   | true  | false | AUTHENTICATED
            127.0.0.1 | true  | false | AUTHENTICATED
            """)
    void decidesWhetherTheServerMayStart(String address, boolean security, boolean allowInsecure,
                                        Decision decision) {
        assertThat(ExposurePolicy.decide(address, security, allowInsecure)).isEqualTo(decision);
    }
}
