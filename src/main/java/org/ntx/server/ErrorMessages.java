package org.ntx.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.regex.Pattern;

/**
 * The OperationOutcome of a refused FHIR request tells the client what was wrong with its request, never which Java
 * class noticed: HAPI passes parser and patch library messages through ("DataFormatException: ...",
 * "java.lang.NumberFormatException: For input string", "com.github.fge.jsonpatch..."). Class names and their
 * "Exception:" prefixes are cut from every issue's diagnostics before it is sent; the rest of the message stays.
 */
@Interceptor
public class ErrorMessages {

    /** A fully qualified class name, or a simple one ending in Exception or Error, with a following ": ". */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "(?:\\b(?:[a-z][a-z0-9_$]*\\.){2,}[A-Z][\\w$]*|\\b[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b)"
                    + "(?::\\s*)?");

    @Hook(Pointcut.SERVER_OUTGOING_FAILURE_OPERATIONOUTCOME)
    public void withoutClassNames(IBaseOperationOutcome outcome) {
        if (outcome instanceof OperationOutcome r4) {
            for (OperationOutcome.OperationOutcomeIssueComponent issue : r4.getIssue()) {
                if (issue.hasDiagnostics()) {
                    issue.setDiagnostics(clean(issue.getDiagnostics()));
                }
            }
        }
    }

    /** {@code text} without Java class names; "The request could not be read" if nothing else is left. */
    static String clean(String text) {
        String cleaned = CLASS_NAME.matcher(text).replaceAll("").replaceAll("\\s{2,}", " ").trim();
        cleaned = cleaned.replaceAll("[`'\"]\\s*[`'\"]", "").replaceAll("\\(\\s*\\)", "").trim();
        return cleaned.isEmpty() || cleaned.matches("(HAPI-\\d+:\\s*)+") ? cleaned + " The request could not be read"
                : cleaned;
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FhirServerCustomizer errorMessagesWithoutClassNames() {
            return server -> server.registerInterceptor(new ErrorMessages());
        }
    }
}
