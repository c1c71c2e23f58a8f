package org.ntx.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * HAPI's JPA server brings administrative operations this service does not offer to clients: deleting history for
 * good ({@code $expunge}, unless {@code ntx.storage.expunge-enabled}), reindexing passes, merging and reference
 * rewriting, dropping cached expansions. They are refused (405 with an OperationOutcome) and left out of the
 * CapabilityStatement, so a client neither sees nor can run them. Standard operations ({@code $validate},
 * {@code $meta}, {@code $everything}, terminology, Bulk Data) and our own stay.
 */
@Interceptor
public final class UnsupportedOperations {

    /** Operation names as HAPI registers them, without the {@code $}. */
    static final List<String> NOT_OFFERED = List.of("perform-reindexing-pass", "mark-all-resources-for-reindexing",
            "reindex-terminology", "invalidate-expansion", "hapi.fhir.merge", "hapi.fhir.undo-merge",
            "hapi.fhir.replace-references", "hapi.fhir.undo-replace-references");

    private final Set<String> refused;

    public UnsupportedOperations(boolean expungeEnabled) {
        Set<String> names = new HashSet<>(NOT_OFFERED);
        if (!expungeEnabled) {
            names.add("expunge");
        }
        this.refused = Set.copyOf(names);
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void refuse(RequestDetails request) {
        String operation = request.getOperation();
        if (operation != null && refused.contains(operation.startsWith("$") ? operation.substring(1) : operation)) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
                    .setDiagnostics("The operation " + operation + " is not offered by this server");
            MethodNotAllowedException refusal = new MethodNotAllowedException("Operation not offered");
            refusal.setOperationOutcome(outcome);
            throw refusal;
        }
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void hide(IBaseConformance capabilityStatement) {
        if (capabilityStatement instanceof CapabilityStatement statement) {
            for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
                rest.getOperation().removeIf(op -> refused.contains(op.getName()));
                for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                    resource.getOperation().removeIf(op -> refused.contains(op.getName()));
                }
            }
        }
    }
}
