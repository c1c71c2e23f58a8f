package org.ntx.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** The aud a CDS client must sign: the service URL it calls, as the public sees it. */
class CdsServiceUrlsTest {

    @Test
    void usesTheRequestUrlWithoutAPublicBaseUrl() {
        MockHttpServletRequest request = call("http", "127.0.0.1", 8080, "/cds-services/naltrexone-order-check");
        assertThat(new CdsServiceUrls(null).acceptedAudiences(request))
                .containsExactly("http://127.0.0.1:8080/cds-services/naltrexone-order-check");
    }

    @Test
    void usesThePublicBaseUrlBehindAProxy() {
        MockHttpServletRequest request = call("http", "10.0.0.7", 8080, "/cds-services/naltrexone-order-check");
        assertThat(new CdsServiceUrls("https://ntx.example.org/fhir/").acceptedAudiences(request))
                .containsExactly("https://ntx.example.org/cds-services/naltrexone-order-check");
    }

    @Test
    void acceptsTheServiceUrlForFeedback() {
        MockHttpServletRequest request = call("https", "ntx.example.org", 443, "/cds-services/check/feedback");
        assertThat(new CdsServiceUrls(null).acceptedAudiences(request)).containsExactly(
                "https://ntx.example.org/cds-services/check/feedback", "https://ntx.example.org/cds-services/check");
    }

    @Test
    void comparesUrlsWithoutCaseDefaultPortsOrTrailingSlash() {
        assertThat(CdsServiceUrls.normalize("HTTPS://NTX.example.org:443/cds-services/x/"))
                .isEqualTo("https://ntx.example.org/cds-services/x");
        assertThat(CdsServiceUrls.normalize("http://ntx.example.org:8080/cds-services/x"))
                .isEqualTo("http://ntx.example.org:8080/cds-services/x");
    }

    private static MockHttpServletRequest call(String scheme, String host, int port, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setScheme(scheme);
        request.setServerName(host);
        request.setServerPort(port);
        return request;
    }
}
