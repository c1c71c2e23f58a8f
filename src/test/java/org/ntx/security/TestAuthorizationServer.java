package org.ntx.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An EHR's SMART authorization server for tests, on loopback only: it serves the EHR's FHIR base discovery document
 * ({@code /fhir/.well-known/smart-configuration}), an authorization endpoint that approves a known launch at once
 * (the EHR user is already signed in), and a token endpoint that checks the PKCE S256 verifier and answers with a
 * patient-context access token signed with the TEST-ONLY issuer key the secured integration context trusts.
 * Everything it refuses is recorded, so a test can say why a launch failed.
 */
final class TestAuthorizationServer implements AutoCloseable {

    private record Grant(String patient, String clientId, String redirectUri, String challenge, String scope) {}

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final String clientId;
    private final String redirectUri;
    private final String pageOrigin;
    private final Map<String, String> launches = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> verifiedChallenges = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * @param clientId    the client id the page is registered with
     * @param redirectUri the page's registered redirect URI
     */
    TestAuthorizationServer(String clientId, String redirectUri) throws IOException {
        this.clientId = clientId;
        this.redirectUri = redirectUri;
        URI page = URI.create(redirectUri);
        this.pageOrigin = page.getScheme() + "://" + page.getHost() + ":" + page.getPort();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fhir/.well-known/smart-configuration", this::discovery);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    /** The EHR's FHIR base, which the EHR hands the app as {@code iss}. */
    String fhirBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    /** A launch of the app from this patient's chart: the {@code launch} value the EHR passes. */
    String launchFor(String patientId) {
        String launch = "launch-" + UUID.randomUUID();
        launches.put(launch, patientId);
        return launch;
    }

    List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The PKCE challenges whose verifier was presented and matched. */
    List<String> verifiedChallenges() {
        return List.copyOf(verifiedChallenges);
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", TestTokens.FHIR_ISSUER);
        document.put("authorization_endpoint", base + "/authorize");
        document.put("token_endpoint", base + "/token");
        document.put("grant_types_supported", List.of("authorization_code"));
        document.put("code_challenge_methods_supported", List.of("S256"));
        document.put("capabilities", List.of("launch-ehr", "client-public", "context-ehr-patient",
                "permission-v2"));
        respond(exchange, 200, document);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String refusal = null;
        if (!"code".equals(query.get("response_type"))) {
            refusal = "response_type must be code";
        } else if (!clientId.equals(query.get("client_id"))) {
            refusal = "unknown client_id " + query.get("client_id");
        } else if (!redirectUri.equals(query.get("redirect_uri"))) {
            refusal = "unregistered redirect_uri " + query.get("redirect_uri");
        } else if (!launches.containsKey(String.valueOf(query.get("launch")))) {
            refusal = "unknown launch " + query.get("launch");
        } else if (!fhirBase().equals(query.get("aud"))) {
            refusal = "aud must be the EHR's FHIR base, was " + query.get("aud");
        } else if (!"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null) {
            refusal = "PKCE S256 is required";
        } else if (query.get("state") == null) {
            refusal = "state is required";
        } else if (!String.valueOf(query.get("scope")).contains("launch")) {
            refusal = "the scope must ask for the launch context";
        }
        if (refusal != null) {
            refusals.add(refusal);
            respond(exchange, 400, Map.of("error", "invalid_request", "error_description", refusal));
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(launches.get(query.get("launch")), query.get("client_id"), query.get("redirect_uri"),
                query.get("code_challenge"), query.get("scope")));
        exchange.getResponseHeaders().add("Location", redirectUri + "?code=" + code + "&state="
                + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("OPTIONS")) {
            cors(exchange);
            exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "POST");
            exchange.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type, Accept");
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(String.valueOf(body.get("code")));
        String refusal = null;
        if (!"POST".equals(exchange.getRequestMethod()) || !"authorization_code".equals(body.get("grant_type"))) {
            refusal = "grant_type must be authorization_code, sent by POST";
        } else if (grant == null) {
            refusal = "unknown or used code";
        } else if (!grant.clientId().equals(body.get("client_id")) || !grant.redirectUri().equals(
                body.get("redirect_uri"))) {
            refusal = "client_id or redirect_uri differ from the authorization request";
        } else if (body.get("code_verifier") == null || !s256(body.get("code_verifier")).equals(grant.challenge())) {
            refusal = "the PKCE verifier does not match the challenge";
        }
        if (refusal != null) {
            refusals.add(refusal);
            respond(exchange, 400, Map.of("error", "invalid_grant", "error_description", refusal));
            return;
        }
        verifiedChallenges.add(grant.challenge());
        String scope = "launch openid fhirUser patient/*.rs";
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("access_token", TestTokens.fhirAccessToken("ehr-user", scope, grant.patient()));
        token.put("token_type", "Bearer");
        token.put("expires_in", 300);
        token.put("scope", scope);
        token.put("patient", grant.patient());
        respond(exchange, 200, token);
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        cors(exchange);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The page calls discovery and the token endpoint from its own origin. */
    private void cors(HttpExchange exchange) {
        exchange.getResponseHeaders().add("Access-Control-Allow-Origin", pageOrigin);
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            values.put(name, value);
        }
        return values;
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
