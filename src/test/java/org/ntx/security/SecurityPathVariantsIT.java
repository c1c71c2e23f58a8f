package org.ntx.security;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.endpoint.web.servlet.WebMvcEndpointHandlerMapping;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route this server maps (the FHIR API, each CDS Hooks and feedback endpoint, the web API, every actuator
 * endpoint, the static page and its scripts), each sent with no token in many spellings of its path: percent-escaped
 * letters (lower and upper case hex), escaped '-' and '/', doubled slashes, '.' and '..' segments, ';' parameters,
 * backslashes, double escapes. The security rules match the path as written and Tomcat routes it decoded, so any
 * spelling the two read differently was a way past authentication (the issue's {@code POST /%63ds-services/...}
 * answered 200 with another patient's cards). Every variant must be refused cleanly (400, 401, 404 or 405: never 200,
 * never 5xx, never a Java class name), while the canonical spelling still behaves as before. Requests go over a raw
 * socket so that no client library tidies the path first.
 */
@SecuredIntegrationTest
class SecurityPathVariantsIT {

    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(java|javax|jakarta|org|ca\\.uhn|com)\\.[a-z]\\w*(\\.\\w+)+|\\w+Exception\\b|\\tat ");

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping controllers;

    @Autowired
    @Qualifier("webEndpointServletHandlerMapping")
    WebMvcEndpointHandlerMapping actuator;

    private record Route(String method, String path, boolean open) {}

    private record Answer(int status, String text) {}

    String patientId;

    @BeforeEach
    void seed() throws Exception {
        TestHttp http = new TestHttp(port);
        var created = http.postFhir("/fhir/Patient", TestTokens.fhirAccessToken("user/*.cruds", null),
                "{\"resourceType\":\"Patient\",\"active\":true}");
        patientId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("id").asText();
    }

    @Test
    void refusesEverySpellingOfEveryRouteThatIsNotTheCanonicalOne() throws Exception {
        List<Route> routes = routes();
        assertThat(routes).as("the walk must cover the CDS, feedback, web API and actuator routes")
                .extracting(Route::path)
                .contains("/cds-services/naltrexone-patient-view", "/cds-services/naltrexone-order-sign/feedback",
                        "/api/cds-services/naltrexone-order-sign", "/api/patients/" + patientId + "/timeline",
                        "/actuator/health", "/actuator/prometheus", "/fhir/Patient");

        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Route route : routes) {
            Answer canonical = send(route.method(), route.path());
            if (route.open()) {
                if (canonical.status() >= 400) {
                    failures.add("open route " + route + " answered " + canonical.status());
                }
            } else if (canonical.status() != 401) {
                failures.add("protected route " + route + " answered " + canonical.status() + " without a token");
            }
            for (String variant : variants(route.path())) {
                Answer answer = send(route.method(), variant);
                sent++;
                boolean clean = Set.of(400, 401, 404, 405).contains(answer.status());
                if (!clean || CLASS_NAME.matcher(answer.text()).find()) {
                    failures.add(route.method() + " " + variant + " -> " + answer.status() + " "
                            + abbreviate(answer.text()));
                }
            }
        }
        assertThat(sent).isGreaterThan(500);
        assertThat(failures).isEmpty();
    }

    @Test
    void refusesMethodsThisServerDoesNotServeAndPlainOptionsNeedsAToken() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Route route : routes()) {
            for (String method : List.of("FOO", "PROPFIND", "TRACE", "CONNECT", "get")) {
                Answer answer = send(method, route.path());
                // 405 from our filter; Tomcat itself may refuse an odd request line (CONNECT) with 400 first.
                if (!Set.of(400, 405).contains(answer.status()) || CLASS_NAME.matcher(answer.text()).find()) {
                    failures.add(method + " " + route.path() + " -> " + answer.status() + " " + abbreviate(answer.text()));
                }
            }
            if (!route.open()) {
                // Only a CORS preflight is answered without a token; a plain OPTIONS is an ordinary request.
                Answer options = send("OPTIONS", route.path());
                if (options.status() != 401) {
                    failures.add("OPTIONS " + route.path() + " -> " + options.status());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /** Every MVC and actuator mapping with its variables filled in, plus the FHIR paths and the static files. */
    private List<Route> routes() {
        Set<Route> routes = new LinkedHashSet<>();
        controllers.getHandlerMethods().keySet().forEach(info -> addMvc(info, routes));
        actuator.getHandlerMethods().keySet().forEach(info -> addMvc(info, routes));
        for (String fhir : List.of("/fhir/Patient", "/fhir/Patient/" + patientId, "/fhir/Patient/" + patientId
                + "/$everything", "/fhir/Patient/" + patientId + "/$naltrexone-status", "/fhir/$export", "/fhir",
                "/fhir/Observation/_search", "/fhir/MedicationRequest/$naltrexone-check", "/fhir/Binary/1")) {
            routes.add(new Route(fhir.endsWith("_search") || fhir.endsWith("check") || fhir.equals("/fhir")
                    ? "POST" : "GET", fhir, false));
        }
        routes.add(new Route("GET", "/fhir/metadata", true));
        routes.add(new Route("GET", SmartDiscovery.PATH, true));
        for (String file : List.of("/", "/index.html", "/app.js", "/app.css", "/webjars/chart.js/4.5.1/dist/chart.umd.js")) {
            routes.add(new Route("GET", file, true));
        }
        return new ArrayList<>(routes);
    }

    private void addMvc(RequestMappingInfo info, Set<Route> into) {
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        String method = methods.isEmpty() ? "GET" : methods.iterator().next().name();
        for (String pattern : info.getPatternValues()) {
            if (pattern.equals("/error") || pattern.contains("*")) {
                continue;
            }
            String path = pattern.replace("{serviceId}", "naltrexone-order-sign")
                    .replace("{patientId}", patientId)
                    .replace("{topic}", "data-unavailable")
                    .replaceAll("\\{\\*?[^}]+}", "health");
            // The card pages explain what each card means (no patient data) and are open by design (CardPages);
            // so is the SMART launch's client id and scope, which the page needs before it has a token
            // (web.SmartLaunchConfig: no secret, no patient data).
            boolean open = path.startsWith("/actuator") || (method.equals("GET") && path.equals("/cds-services"))
                    || (method.equals("GET") && (path.equals("/cards") || path.startsWith("/cards/")
                            || path.equals("/smart-launch-config")));
            into.add(new Route(method, path, open));
            if (pattern.equals("/cds-services/{serviceId}")) {
                for (String service : List.of("naltrexone-patient-view", "naltrexone-order-select")) {
                    into.add(new Route(method, "/cds-services/" + service, false));
                }
            }
        }
    }

    /** The ways of writing {@code path} that are not the canonical one. */
    static Set<String> variants(String path) {
        Set<String> variants = new LinkedHashSet<>();
        String[] segments = path.substring(1).split("/", -1);
        for (int s = 0; s < segments.length; s++) {
            String segment = segments[s];
            for (int c = 0; c < segment.length(); c += Math.max(1, segment.length() / 3)) {
                String escaped = "%%%02x".formatted((int) segment.charAt(c));
                variants.add(replaceSegment(segments, s, segment.substring(0, c) + escaped + segment.substring(c + 1)));
                variants.add(replaceSegment(segments, s, segment.substring(0, c)
                        + escaped.toUpperCase(Locale.ROOT) + segment.substring(c + 1)));
            }
            variants.add(replaceSegment(segments, s, segment + ";x=1"));
            variants.add(replaceSegment(segments, s, segment + ";"));
            variants.add(replaceSegment(segments, s, "./" + segment));
            variants.add(replaceSegment(segments, s, "x/../" + segment));
            variants.add(replaceSegment(segments, s, "/" + segment));
            variants.add(replaceSegment(segments, s, "%2e/" + segment));
        }
        variants.add("/" + path);
        variants.add(path.replace("/", "//"));
        variants.add(path.replaceFirst("/", "/%2F"));
        variants.add(path.replace("-", "%2D"));
        variants.add(path.replaceFirst("/([^/]*)$", "%2F$1"));
        variants.add(path.replaceFirst("/([^/]*)$", "%252F$1"));
        variants.add(path.replaceFirst("/([^/]*)$", "\\\\$1"));
        variants.add(path + "/.");
        variants.add(path + "/..");
        variants.add(path + "%00");
        variants.add(path + "%20");
        variants.remove(path);
        return variants;
    }

    private static String replaceSegment(String[] segments, int index, String replacement) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            path.append('/').append(i == index ? replacement : segments[i]);
        }
        return path.toString();
    }

    /** One request over a raw socket, the path exactly as given. */
    private Answer send(String method, String path) throws IOException {
        byte[] body = method.equals("POST") ? "{\"hook\":\"patient-view\",\"hookInstance\":\"x\",\"context\":{}}"
                .getBytes(StandardCharsets.UTF_8) : new byte[0];
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: */*\r\n"
                    + "Connection: close\r\n" + (body.length > 0 ? "Content-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n" : "") + "\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            String[] statusLine = text.split("\r\n", 2)[0].split(" ");
            int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
            return new Answer(status, text);
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\r\n", " | ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }
}
