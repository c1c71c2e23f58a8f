package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;

/**
 * Validation on write: a resource that names one of our profiles in {@code meta.profile} is validated against it
 * and refused with 422 and an OperationOutcome naming the failing element when it does not conform. Resources that
 * claim none of our profiles are stored as sent (EHRs send plain R4; HAPI's parser has already read them as R4).
 * The validator is built once at start-up; resources without a claim cost nothing extra. A resource whose shape has
 * passed before ({@link ConformingShapes}) is not walked through the validator again.
 */
@Interceptor
public class ProfileEnforcement {

    private final ProfileValidator validator;
    private final FhirContext fhirContext;
    private final ConformingShapes conformingShapes;

    /**
     * @param rememberShapes whether to skip the validator for resources of a shape it has passed ({@code false}: every
     *                       claiming resource is validated, as the benchmark's comparison needs)
     */
    public ProfileEnforcement(ProfileValidator validator, FhirContext fhirContext, boolean rememberShapes) {
        this.validator = validator;
        this.fhirContext = fhirContext;
        this.conformingShapes = rememberShapes ? new ConformingShapes() : null;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void onCreate(IBaseResource resource, RequestDetails request) {
        enforce(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void onUpdate(IBaseResource previous, IBaseResource updated, RequestDetails request) {
        enforce(updated);
    }

    private void enforce(IBaseResource resource) {
        if (!(resource instanceof Resource r) || !claimsOurProfile(r)) {
            return;
        }
        String shape = conformingShapes == null ? null : ConformingShapes.shapeOf(r, fhirContext);
        if (shape != null && conformingShapes.isKnown(shape)) {
            return;
        }
        ValidationResult result = validator.validate(r);
        List<SingleValidationMessage> errors = result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
        if (errors.isEmpty()) {
            if (shape != null) {
                conformingShapes.remember(shape);
            }
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        for (SingleValidationMessage error : errors) {
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(error.getMessage());
            if (error.getLocationString() != null) {
                issue.addExpression(error.getLocationString());
            }
        }
        throw new UnprocessableEntityException(fhirContext, outcome);
    }

    /** Resources let through on a known shape so far; zero when shapes are not remembered (for tests). */
    long passedOnKnownShape() {
        return conformingShapes == null ? 0 : conformingShapes.hits();
    }

    private static boolean claimsOurProfile(Resource resource) {
        return resource.getMeta().getProfile().stream()
                .map(CanonicalType::getValue)
                .anyMatch(url -> url != null && url.startsWith(Canonicals.STRUCTURE_DEFINITION_BASE));
    }
}
