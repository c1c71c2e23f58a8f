package org.ntx.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Refuses request bodies larger than {@code ntx.limits.max-request-size} with 413 before anything parses them, so a
 * client cannot exhaust memory with one huge resource. A transaction or batch Bundle POSTed to the FHIR base
 * ({@code /fhir}) may be larger, up to {@code ntx.limits.max-transaction-size}: one Synthea patient's record is a
 * single transaction of tens of megabytes. A transaction is never read into memory here, whether its length is
 * declared or it is sent in chunks: its bytes are counted as HAPI reads them into its one copy
 * ({@link StreamedBody}), and the read is refused with 413 the moment it passes the limit, before HAPI parses or
 * stores any of it. Any other body with a declared length within its limit is passed on untouched; one without
 * (chunked) is read up to its limit first.
 */
@Configuration
class RequestSizeLimit {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> requestSizeFilter(LimitProperties limits) {
        long requestMax = limits.maxRequestSize().toBytes();
        long transactionMax = Math.max(requestMax, limits.maxTransactionSize().toBytes());
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                long max = isTransaction(request) ? transactionMax : requestMax;
                long declared = request.getContentLengthLong();
                if (declared > max) {
                    tooLarge(request, response, max);
                    return;
                }
                if (isTransaction(request)) {
                    chain.doFilter(StreamedBody.limit(request, max), response);
                    return;
                }
                if (declared >= 0) {
                    chain.doFilter(request, response);
                    return;
                }
                // Chunked body: read it (up to the limit) before anyone parses it.
                byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
                if (body.length > max) {
                    tooLarge(request, response, max);
                    return;
                }
                chain.doFilter(new BufferedBodyRequest(request, body), response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    /** A POST to the FHIR base itself: a transaction or batch Bundle (HAPI accepts nothing else there). */
    static boolean isTransaction(HttpServletRequest request) {
        String path = request.getRequestURI();
        return "POST".equals(request.getMethod())
                && (path.equals(FhirEndpointConfig.FHIR_PATH) || path.equals(FhirEndpointConfig.FHIR_PATH + "/"));
    }

    static void tooLarge(HttpServletRequest request, HttpServletResponse response, long max) throws IOException {
        ErrorBodies.write(request, response, 413, "too-long", "Payload Too Large", tooLargeMessage(max));
    }

    static String tooLargeMessage(long max) {
        return "Request body larger than " + max + " bytes";
    }

    /** A request whose body has already been read into memory. */
    static final class BufferedBodyRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new jakarta.servlet.ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(jakarta.servlet.ReadListener listener) {
                    throw new UnsupportedOperationException("Body is already buffered");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    getCharacterEncoding() == null ? java.nio.charset.StandardCharsets.UTF_8
                            : java.nio.charset.Charset.forName(getCharacterEncoding())));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
