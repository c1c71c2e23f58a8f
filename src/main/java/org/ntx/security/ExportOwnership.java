package org.ntx.security;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.rest.server.provider.ProviderConstants;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Parameters;
import org.ntx.security.SmartScope.Permission;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Bulk Data exports belong to whoever started them. When a job starts, its owner (the token's issuer and subject) is
 * written into the job's parameters, and HAPI stamps it on every output file ({@code Binary.securityContext.identifier}).
 * Then:
 * <ul>
 *   <li>{@code $export-poll-status} (status, manifest, cancel) answers only the job's owner: another caller gets 403,
 *       as does any caller for a job started without an owner;</li>
 *   <li>a token whose only access to Binary is the research scope ({@code ntx/research}) reads only Binaries stamped
 *       with its own identity, i.e. its own export files, nothing else stored as Binary.</li>
 * </ul>
 */
@Interceptor(order = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR - 1)
final class ExportOwnership {

    /** The parameter {@code $export-poll-status} names its job with (Bulk Data Access). */
    private static final String JOB_ID = "_jobId";

    private final Function<RequestDetails, AccessGrant> grants;
    private final IJobCoordinator jobs;

    ExportOwnership(Function<RequestDetails, AccessGrant> grants, IJobCoordinator jobs) {
        this.grants = grants;
        this.jobs = jobs;
    }

    /** The owner as stored on the job and its files: the issuer and the subject (or the client, for no subject). */
    record Owner(String system, String value) {
        static Optional<Owner> of(AccessGrant grant) {
            String value = grant.subject() != null ? grant.subject() : grant.clientId();
            return grant.authenticated() && value != null
                    ? Optional.of(new Owner(grant.issuer() == null ? "" : grant.issuer(), value))
                    : Optional.empty();
        }
    }

    @Hook(Pointcut.STORAGE_INITIATE_BULK_EXPORT)
    public void stampOwner(RequestDetails request, BulkExportJobParameters parameters) {
        if (request == null || request instanceof SystemRequestDetails) {
            return;
        }
        Owner owner = Owner.of(grants.apply(request)).orElseThrow(() ->
                SmartAuthorization.forbidden("An export needs an access token that names its subject"));
        parameters.setBinarySecurityContextIdentifierSystem(owner.system());
        parameters.setBinarySecurityContextIdentifierValue(owner.value());
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void pollOnlyOwnJobs(RequestDetails request) {
        if (request.getRestOperationType() != RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
                || !ProviderConstants.OPERATION_EXPORT_POLL_STATUS.equals(request.getOperation())) {
            return;
        }
        Optional<String> jobId = jobId(request);
        if (jobId.isEmpty()) {
            return; // HAPI answers the missing _jobId with 400
        }
        JobInstance job;
        try {
            job = jobs.getInstance(jobId.get());
        } catch (ResourceNotFoundException e) {
            return; // HAPI answers 404 for an unknown job
        }
        BulkExportJobParameters parameters = job.getParameters(BulkExportJobParameters.class);
        Optional<Owner> caller = Owner.of(grants.apply(request));
        boolean own = caller.isPresent() && parameters != null
                && Objects.equals(parameters.getBinarySecurityContextIdentifierSystem(), caller.get().system())
                && Objects.equals(parameters.getBinarySecurityContextIdentifierValue(), caller.get().value());
        if (!own) {
            throw SmartAuthorization.forbidden("This export job was started by another client");
        }
    }

    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void readOnlyOwnExportFiles(IPreResourceShowDetails shown, RequestDetails request) {
        if (request == null || request instanceof SystemRequestDetails) {
            return;
        }
        AccessGrant grant = grants.apply(request);
        if (!grant.research() || readsBinaryByScope(grant)) {
            return;
        }
        Optional<Owner> caller = Owner.of(grant);
        for (IBaseResource resource : shown.getAllResources()) {
            if (resource instanceof Binary binary) {
                var identifier = binary.getSecurityContext().getIdentifier();
                boolean own = caller.isPresent() && Objects.equals(identifier.getSystem(), caller.get().system())
                        && Objects.equals(identifier.getValue(), caller.get().value());
                if (!own) {
                    throw SmartAuthorization.forbidden("The research scope reads only the files of its own exports");
                }
            }
        }
    }

    /** Binary access from a SMART scope ({@code user/Binary.r}, {@code system/*.rs}), not just the research scope. */
    private static boolean readsBinaryByScope(AccessGrant grant) {
        return grant.scopes().stream().anyMatch(scope -> scope.appliesTo("Binary")
                && scope.permissions().contains(Permission.READ)
                && (scope.context() != SmartScope.Context.PATIENT || grant.compartmentBound()));
    }

    private static Optional<String> jobId(RequestDetails request) {
        String[] values = request.getParameters().get(JOB_ID);
        if (values != null && values.length > 0 && !values[0].isBlank()) {
            return Optional.of(values[0]);
        }
        if (request.getResource() instanceof Parameters parameters
                && parameters.getParameter(JOB_ID) != null) {
            return Optional.ofNullable(parameters.getParameter(JOB_ID)
                    .getValue()).map(value -> value.primitiveValue());
        }
        return Optional.empty();
    }
}
