package org.ntx.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A transaction or batch body (up to {@code ntx.limits.max-transaction-size}, 128 MB by default) is held in memory
 * once, by HAPI, not first by our filters as well.
 *
 * <p>Our filters read every other body into memory before passing it on (its size is bounded by the per-request
 * limit). A transaction's they leave in the connection: {@link RequestSizeLimit} only counts its bytes as HAPI reads
 * them and refuses the read with 413 the moment it passes the limit, whether the length was declared or the body is
 * chunked. The body checks the filters make ({@link NumberRange}'s number range, {@link RequestBodyEncoding}'s UTF-8
 * and XML namespace) run here instead, on HAPI's own copy of the body, in a hook that HAPI calls after it has chosen
 * the transaction method and before it parses the bundle (HAPI 8.8.0 reads the body lazily, when it parses the
 * method's parameters; this hook makes it read it first). Whatever is refused is refused before anything parses or
 * stores any of it, as before, with HAPI's own exception carrying our OperationOutcome.
 */
final class StreamedBody {

    private static final String STREAMED = StreamedBody.class.getName();

    private StreamedBody() {
    }

    /** This request's body, read through a counter that refuses it once it passes {@code max} bytes. */
    static HttpServletRequest limit(HttpServletRequest request, long max) {
        request.setAttribute(STREAMED, Boolean.TRUE);
        return new LimitedRequest(request, max);
    }

    /** Whether this request's body is left for HAPI to read (and checked by {@link Checks}). */
    static boolean isStreamed(HttpServletRequest request) {
        return request.getAttribute(STREAMED) != null;
    }

    /** What the body checks refuse in a streamed body, or empty: the same as they refuse in a filtered one. */
    static Optional<String> problem(byte[] body, String contentType, String charset) {
        Optional<String> encoding = RequestBodyEncoding.problem(body, contentType, charset, true);
        if (encoding.isPresent()) {
            return encoding;
        }
        if (NumberRange.isFormOrXml(contentType)) {
            return Optional.empty();
        }
        return NumberRange.firstOutOfRange(body).map(NumberRange::message);
    }

    /** The body checks, run on HAPI's buffer of a streamed body before HAPI parses it. */
    @Interceptor
    public static final class Checks {

        @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = -1000)
        public void check(RequestDetails request) {
            if (!(request instanceof ServletRequestDetails servlet) || !isStreamed(servlet.getServletRequest())) {
                return;
            }
            HttpServletRequest http = servlet.getServletRequest();
            if (RequestBodyEncoding.isForm(http.getContentType())) {
                // A form's fields are parameters, read by the container, as in the filters.
                return;
            }
            byte[] body = request.loadRequestContents(); // the one copy; refused with 413 while it is read if too long
            if (body == null || body.length == 0) {
                return;
            }
            problem(body, http.getContentType(), http.getCharacterEncoding()).ifPresent(problem -> {
                throw invalid(problem);
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FhirServerCustomizer streamedBodyChecks() {
            return server -> server.registerInterceptor(new Checks());
        }
    }

    /** What the counter throws for a body over its limit: HAPI answers 413 with this outcome. */
    static BaseServerResponseException tooLarge(String message) {
        return new PayloadTooLargeException(message, outcome(OperationOutcome.IssueType.TOOLONG, message));
    }

    /** What the checks throw for a body they cannot accept: HAPI answers 400 with this outcome. */
    static BaseServerResponseException invalid(String message) {
        return new InvalidRequestException(message, outcome(OperationOutcome.IssueType.INVALID, message));
    }

    private static OperationOutcome outcome(OperationOutcome.IssueType code, String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(code).setDiagnostics(message);
        return outcome;
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long max;
        private LimitedInput input;

        LimitedRequest(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (input == null) {
                input = new LimitedInput(super.getInputStream(), max);
            }
            return input;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    /** Counts the bytes read; the read that passes the limit throws instead of returning them. */
    static final class LimitedInput extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long count;

        LimitedInput(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > max) {
                throw tooLarge(RequestSizeLimit.tooLargeMessage(max));
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
