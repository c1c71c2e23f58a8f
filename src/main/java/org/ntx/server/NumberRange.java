package org.ntx.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DecimalType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses numbers whose written-out form would be enormous, before anything stores or expands them.
 *
 * <p>FHIR decimals have arbitrary precision, and "1e99999999" is valid JSON. HAPI 8.8.0's JSON parser reads every
 * JSON number through {@code BigDecimal.toPlainString()}: that one value becomes a 100-million-character string, and
 * "1e999999999" exhausts the heap; a decimal stored from XML would do the same on every later read. Any number whose
 * scale (digits after the point, less the exponent) lies beyond ±{@value #MAX_SCALE} is refused with 400: in a JSON
 * body before it is parsed (FHIR API and CDS Hooks alike), in a query or form parameter (HAPI's quantity search ran out
 * of memory the same way), and in any parsed resource (XML included) before it is stored. No clinical quantity comes
 * near: 10^300 is 1 followed by 300 zeros.
 */
@Configuration
public class NumberRange {

    static final int MAX_SCALE = 300;

    /**
     * A search value that is a number written with an exponent: the whole value, or a whole part of it between FHIR's
     * separators (',' '|' '$'), after an optional comparison prefix. Identifiers and UUIDs ("...-3e-36...") are never
     * whole numbers, so they do not match.
     */
    private static final Pattern EXPONENT_NUMBER = Pattern.compile(
            "(?:^|[,|$])(?:eq|ne|gt|lt|ge|le|sa|eb|ap)?([+-]?[0-9.]++[eE][+-]?+[0-9]++)(?=$|[,|$])");

    /**
     * At least as lenient as any JSON parser behind the filter (HAPI's accepts single quotes, leading plus signs and
     * strings of any length), so that no body the scan gives up on is one a parser downstream would read.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS, JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_TRAILING_COMMA,
                    JsonReadFeature.ALLOW_MISSING_VALUES, JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS,
                    JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE).maxNestingDepth(Integer.MAX_VALUE).build())
            .build();

    /** A JSON request body with an out-of-range number is refused before it reaches any parser that expands it. */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> numberRangeFilter() {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                Optional<String> inParameters = firstOutOfRange(request.getParameterMap());
                if (inParameters.isPresent()) {
                    ErrorBodies.write(request, response, 400, "invalid", "Bad Request", message(inParameters.get()));
                    return;
                }
                if (!hasBody(request) || isFormOrXml(request) || StreamedBody.isStreamed(request)) {
                    // A transaction's body is scanned as HAPI reads it (StreamedBody), not read here a second time.
                    chain.doFilter(request, response);
                    return;
                }
                // RequestSizeLimit runs first, so the body is bounded.
                byte[] body = request.getInputStream().readAllBytes();
                Optional<String> number = firstOutOfRange(body);
                if (number.isPresent()) {
                    ErrorBodies.write(request, response, 400, "invalid", "Bad Request", message(number.get()));
                    return;
                }
                chain.doFilter(new RequestSizeLimit.BufferedBodyRequest(request, body), response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(0); // after authentication (Spring Security's chain runs at -100)
        return registration;
    }

    /**
     * The first JSON number in {@code body} that is out of range, as written. The scan starts at the first '{' or
     * '[' (HAPI skips any leading whitespace, Unicode's included); anything that is not JSON even to a lenient parser
     * passes, and the parser behind this reports it.
     */
    public static Optional<String> firstOutOfRange(byte[] body) {
        int start = 0;
        while (start < body.length && body[start] != '{' && body[start] != '[') {
            start++;
        }
        if (start == body.length) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(body, start, body.length - start)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if ((token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT)
                        && outOfRange(parser.getText())) {
                    return Optional.of(parser.getText());
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The first out-of-range number written with an exponent in a query or form parameter: HAPI's search parameters
     * ({@code value-quantity=gt1e999999999}) expand it as JSON numbers are expanded. Without an exponent a number is
     * only as long as it is written, so only those are looked at.
     */
    static Optional<String> firstOutOfRange(Map<String, String[]> parameters) {
        for (String[] values : parameters.values()) {
            for (String value : values == null ? new String[0] : values) {
                if (value == null) {
                    continue; // a form body of a PATCH can leave a parameter without a value
                }
                Matcher number = EXPONENT_NUMBER.matcher(value);
                while (number.find()) {
                    if (outOfRange(number.group(1))) {
                        return Optional.of(number.group(1));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a JSON number, as written, has a scale beyond ±{@value #MAX_SCALE}. */
    static boolean outOfRange(String number) {
        int e = Math.max(number.indexOf('e'), number.indexOf('E'));
        String mantissa = e < 0 ? number : number.substring(0, e);
        int point = mantissa.indexOf('.');
        long fractionDigits = point < 0 ? 0 : mantissa.length() - point - 1;
        long exponent = 0;
        if (e >= 0) {
            String digits = number.substring(e + 1);
            boolean negative = digits.startsWith("-");
            digits = digits.replaceFirst("^[+-]?0*", "");
            if (digits.length() > 9) {
                return true;
            }
            exponent = digits.isEmpty() ? 0 : Long.parseLong(digits) * (negative ? -1 : 1);
        }
        return Math.abs(fractionDigits - exponent) > MAX_SCALE;
    }

    /** A declared length above zero, or a chunked body. */
    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Form bodies (a FHIR search by POST) are read as parameters by the container, and XML bodies by HAPI's XML
     * parser, which keeps decimals as written (the storage check below covers what it parses).
     */
    private static boolean isFormOrXml(HttpServletRequest request) {
        return isFormOrXml(request.getContentType());
    }

    static boolean isFormOrXml(String type) {
        return type != null && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/")
                || type.contains("xml"));
    }

    static String message(String number) {
        String shown = number.length() > 40 ? number.substring(0, 40) + "..." : number;
        return "The number " + shown + " is out of range: a value may have at most " + MAX_SCALE
                + " digits after the decimal point and at most " + MAX_SCALE + " zeros before it";
    }

    /** The same check for resources already parsed (XML bodies, PATCH results), before they are stored. */
    @Interceptor
    public static class StorageCheck {

        private final FhirContext fhirContext;

        public StorageCheck(FhirContext fhirContext) {
            this.fhirContext = fhirContext;
        }

        @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = -100)
        public void onCreate(IBaseResource resource) {
            check(resource);
        }

        @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -100)
        public void onUpdate(IBaseResource previous, IBaseResource updated) {
            check(updated);
        }

        private void check(IBaseResource resource) {
            for (DecimalType decimal : fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource,
                    DecimalType.class)) {
                BigDecimal value = decimal.getValue();
                if (value != null && Math.abs((long) value.scale()) > MAX_SCALE) {
                    throw new InvalidRequestException(message(value.toString()));
                }
            }
        }
    }

    @Bean
    FhirServerCustomizer numberRangeStorageCheck(FhirContext fhirContext) {
        return server -> server.registerInterceptor(new StorageCheck(fhirContext));
    }
}
