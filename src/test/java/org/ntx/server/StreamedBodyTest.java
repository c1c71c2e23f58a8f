package org.ntx.server;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A transaction's body is read once, by HAPI, through a counter; the checks the filters make on other bodies run on
 * HAPI's copy and refuse what they refuse there.
 */
class StreamedBodyTest {

    @Test
    void theCounterPassesABodyUpToTheLimitAndRefusesTheReadThatPassesItWith413() throws IOException {
        assertThat(new StreamedBody.LimitedInput(input(new byte[10]), 10).readAllBytes()).hasSize(10);
        StreamedBody.LimitedInput over = new StreamedBody.LimitedInput(input(new byte[11]), 10);
        assertThatThrownBy(over::readAllBytes).isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(413);
            assertThat(e.getMessage()).isEqualTo("Request body larger than 10 bytes");
            assertThat(e.getOperationOutcome()).isNotNull();
        });
        StreamedBody.LimitedInput byteByByte = new StreamedBody.LimitedInput(input(new byte[11]), 10);
        for (int i = 0; i < 10; i++) {
            assertThat(byteByByte.read()).isZero();
        }
        assertThatThrownBy(byteByByte::read).isInstanceOf(BaseServerResponseException.class);
    }

    @Test
    void aStreamedBodyIsRefusedForWhatAFilteredBodyIsRefusedFor() {
        assertThat(StreamedBody.problem(utf8("{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": "
                + "{\"valueQuantity\": {\"value\": 1e99999999}}}]}"), "application/fhir+json", null))
                .hasValueSatisfying(problem -> assertThat(problem).contains("1e99999999").contains("out of range"));
        assertThat(StreamedBody.problem(utf8("{'value': +1e99999999}"), "application/fhir+json", null)).isPresent();
        byte[] notUtf8 = utf8("{\"resourceType\": \"Bundle\", \"id\": \"Zo?\"}");
        notUtf8[notUtf8.length - 4] = (byte) 0xC3;
        assertThat(StreamedBody.problem(notUtf8, "application/fhir+json", null))
                .contains("The request body is not valid UTF-8");
        assertThat(StreamedBody.problem(utf8("<Bundle xmlns=\"http://example.org/other\"/>"), "application/fhir+xml",
                null)).isPresent();
        assertThat(StreamedBody.problem(utf8("{}"), "application/fhir+json", "no-such-charset")).isPresent();
        // Decimals in XML are kept as written; the storage check covers them, as for a filtered body.
        assertThat(StreamedBody.problem(utf8("<Bundle xmlns=\"http://hl7.org/fhir\"><total value=\"1e999\"/></Bundle>"),
                "application/fhir+xml", null)).isEmpty();
        assertThat(StreamedBody.problem(utf8("{\"resourceType\": \"Bundle\", \"id\": \"Zo\u00eb\", \"total\": 1e300}"),
                "application/fhir+json", null)).isEqualTo(Optional.empty());
    }

    private static ServletInputStream input(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read() {
                return in.read();
            }
        };
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
