package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The HL7 instance validator over the R4 core definitions (HAPI's bundled validation resources) and our package,
 * with snapshots generated from the differentials on first use. Built once and reused: building the support chain is
 * the expensive part. The HL7 validators themselves are reused too ({@link ReusedInstanceValidators}), which made
 * validated ingest several times faster. Thread-safe, as HAPI's FhirValidator is.
 */
public final class ProfileValidator {

    private final FhirValidator validator;

    private ProfileValidator(FhirValidator validator) {
        this.validator = validator;
    }

    public static ProfileValidator build(FhirContext fhirContext) {
        return new ProfileValidator(fhirContext.newValidator()
                .registerValidatorModule(new ReusedInstanceValidators(supportChain(fhirContext))));
    }

    /**
     * The same chain with HAPI's own {@link FhirInstanceValidator}, which builds a new HL7 validator per resource:
     * the reference that tests hold {@link ReusedInstanceValidators} to.
     */
    static ProfileValidator withHapiInstanceValidator(FhirContext fhirContext) {
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(supportChain(fhirContext));
        // References to resources the validator cannot see (the patient, the prescriber) are not errors here.
        instanceValidator.setAnyExtensionsAllowed(true);
        return new ProfileValidator(fhirContext.newValidator().registerValidatorModule(instanceValidator));
    }

    static ValidationSupportChain supportChain(FhirContext fhirContext) {
        NpmPackageValidationSupport ourPackage = new NpmPackageValidationSupport(fhirContext);
        try {
            ourPackage.loadPackageFromClasspath("classpath:" + NaltrexonePackage.TARBALL);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load our FHIR package for validation", e);
        }
        return new ValidationSupportChain(
                ourPackage,
                new DefaultProfileValidationSupport(fhirContext),
                new CommonCodeSystemsTerminologyService(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                unknownCodeSystemsWarn(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext));
    }

    /**
     * RxNorm, LOINC and SNOMED CT cannot ship here (licences, size), so a code from them cannot be looked up: that is a
     * warning, not an error. Membership in our value sets is still checked, because their codes are enumerated.
     */
    static UnknownCodeSystemWarningValidationSupport unknownCodeSystemsWarn(FhirContext fhirContext) {
        UnknownCodeSystemWarningValidationSupport support = new UnknownCodeSystemWarningValidationSupport(fhirContext);
        support.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        return support;
    }

    /** Validates against the profiles the resource declares in {@code meta.profile} (and the base definition). */
    public ValidationResult validate(IBaseResource resource) {
        return validator.validateWithResult(resource);
    }

    /** Validates against one named profile, whatever the resource declares. */
    public ValidationResult validate(IBaseResource resource, String profileUrl) {
        return validator.validateWithResult(resource, new ValidationOptions().addProfile(profileUrl));
    }
}
