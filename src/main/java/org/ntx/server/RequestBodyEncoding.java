package org.ntx.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Bodies whose bytes would be read as something other than what was sent are refused (400) before any parser sees
 * them: text that is not valid UTF-8 (decoders replace bad bytes with U+FFFD, so the stored text silently differed
 * from what the client sent), and a FHIR XML body whose root element is not in the FHIR namespace (HAPI read
 * {@code <Patient xmlns="http://example.org/other">} as a Patient anyway).
 */
@Configuration(proxyBeanMethods = false)
class RequestBodyEncoding {

    static final String FHIR_NAMESPACE = "http://hl7.org/fhir";

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> requestBodyEncodingFilter() {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                if (!hasBody(request) || isForm(request)) {
                    chain.doFilter(request, response);
                    return;
                }
                if (wildcard(request.getContentType())) {
                    ErrorBodies.write(request, response, 415, "not-supported", "Unsupported Media Type",
                            "A request body needs a concrete Content-Type (for example application/fhir+json), not "
                                    + "a wildcard");
                    return;
                }
                if (StreamedBody.isStreamed(request)) {
                    // A transaction's body is checked as HAPI reads it (StreamedBody), not read here a second time.
                    chain.doFilter(request, response);
                    return;
                }
                // RequestSizeLimit runs first, so the body is bounded.
                byte[] body = request.getInputStream().readAllBytes();
                Optional<String> problem = problem(body, request.getContentType(), request.getCharacterEncoding(),
                        request.getRequestURI().startsWith("/fhir"));
                if (problem.isPresent()) {
                    ErrorBodies.write(request, response, 400, "invalid", "Bad Request", problem.get());
                    return;
                }
                chain.doFilter(new RequestSizeLimit.BufferedBodyRequest(request, body), response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(1); // after authentication, next to NumberRange
        return registration;
    }

    /** What makes this body unreadable as sent, or empty. */
    static Optional<String> problem(byte[] body, String contentType, String charset, boolean fhir) {
        Charset declared = StandardCharsets.UTF_8;
        if (charset != null) {
            try {
                declared = Charset.forName(charset.trim());
            } catch (IllegalArgumentException e) {
                return Optional.of("The request's charset '" + printable(charset) + "' is unknown");
            }
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        // Only text is decoded; a Binary may be uploaded as raw bytes of its own type.
        boolean text = type.isEmpty() || type.contains("json") || type.contains("xml") || type.startsWith("text/");
        if (text && declared.equals(StandardCharsets.UTF_8)) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            } catch (CharacterCodingException e) {
                return Optional.of("The request body is not valid UTF-8");
            }
        }
        if (fhir && type.contains("xml") && !type.contains("xml-patch")) {
            return xmlNamespace(body);
        }
        return Optional.empty();
    }

    private static Optional<String> xmlNamespace(byte[] body) {
        try {
            XMLStreamReader reader = XML.createXMLStreamReader(new ByteArrayInputStream(body));
            try {
                while (reader.hasNext()) {
                    if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                        return FHIR_NAMESPACE.equals(reader.getNamespaceURI()) ? Optional.empty()
                                : Optional.of("A FHIR XML resource must be in the namespace " + FHIR_NAMESPACE);
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            return Optional.of("The request body is not well-formed XML");
        }
        return Optional.of("The request body holds no XML element");
    }

    /** {@code *}{@code /*} or {@code application/*}: says nothing about the body (Spring refused it with a 500). */
    static boolean wildcard(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim();
        return type.startsWith("*") || type.endsWith("/*");
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static boolean isForm(HttpServletRequest request) {
        return isForm(request.getContentType());
    }

    static boolean isForm(String type) {
        return type != null && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/"));
    }

    private static String printable(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
