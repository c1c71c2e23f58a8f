package org.ntx.profiles;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.hl7.fhir.common.hapi.validation.validator.FhirDefaultPolicyAdvisor;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HL7 instance validator, set up as HAPI's {@link FhirInstanceValidator} sets it up, but with each
 * {@link InstanceValidator} reused for a bounded number of validations instead of built for every resource.
 *
 * <p>Why: profiling the validated ingest benchmark (bench/results.md) showed about 60% of validation time in the
 * InstanceValidator constructor, which parses the 1.5 MB OID registry of org.hl7.fhir.utilities (21,000 lines) every
 * time. HAPI 8.8.0 builds a new InstanceValidator per resource and offers no hook to keep one.
 *
 * <p>Why this is safe: the InstanceValidator clears its per-resource state (fetch cache, resource tracker, tracked
 * messages) at the start of every validation. What it does not clear is handled here: the set of "this profile is
 * draft/retired" warnings already given is emptied before each validation (so every resource gets the same
 * messages), and lists that only grow (codings seen, code/text pairs, profile look-ups) are bounded by retiring each
 * validator after {@link #MAX_USES} validations. An InstanceValidator is not thread-safe: each is used by one thread at
 * a time, taken from and returned to a small pool. ProfileExamplesTest and ProfilesIT hold the results to the same
 * expected errors as before.
 */
final class ReusedInstanceValidators implements IValidatorModule {

    /** Validations per InstanceValidator before it is dropped; bounds what its internal lists can accumulate. */
    static final int MAX_USES = 200;

    private final IWorkerContext workerContext;
    private final ConcurrentLinkedDeque<Lease> idle = new ConcurrentLinkedDeque<>();
    private final int maxIdle;
    private final AtomicInteger built = new AtomicInteger();

    ReusedInstanceValidators(IValidationSupport support) {
        this.workerContext = WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(support);
        this.maxIdle = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** How many InstanceValidators have been built so far (for tests). */
    int validatorsBuilt() {
        return built.get();
    }

    @Override
    public void validateResource(IValidationContext<IBaseResource> context) {
        for (ValidationMessage message : validate(context)) {
            context.addValidationMessage(toHapi(message));
        }
    }

    private List<ValidationMessage> validate(IValidationContext<IBaseResource> context) {
        // The HL7 validator reads JSON here; XML (given as a resource or as text) is converted first.
        String json = context.getResourceAsStringEncoding() == EncodingEnum.JSON
                ? context.getResourceAsString()
                : context.getFhirContext().newJsonParser().encodeResourceToString(context.getResource() != null
                        ? context.getResource()
                        : context.getFhirContext().newXmlParser().parseResource(context.getResourceAsString()));

        List<ValidationMessage> messages = new ArrayList<>();
        List<ValidationMessage> unknownProfiles = new ArrayList<>();
        List<StructureDefinition> profiles = new ArrayList<>();
        for (String url : context.getOptions().getProfiles()) {
            addProfile(url, profiles, unknownProfiles);
        }
        for (String url : declaredProfiles(context, json)) {
            addProfile(url, profiles, unknownProfiles);
        }

        Lease lease = take();
        try {
            lease.validate(context.getOptions().getAppContext(), json, profiles, messages);
        } finally {
            giveBack(lease);
        }

        if (profiles.isEmpty()) {
            messages.addAll(unknownProfiles);
        }
        // As HAPI does: a binding without a source and the mime-types value set are not findings about the resource;
        // an unknown profile is an error (HAPI's default, errorForUnknownProfiles).
        messages.removeIf(m -> I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE.equals(m.getMessageId())
                || (I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND.equals(m.getMessageId())
                && m.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")));
        messages.stream()
                .filter(m -> I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(m.getMessageId())
                        || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(m.getMessageId()))
                .forEach(m -> m.setLevel(ValidationMessage.IssueSeverity.ERROR));
        return messages;
    }

    private void addProfile(String url, List<StructureDefinition> profiles, List<ValidationMessage> unknown) {
        StructureDefinition profile;
        try {
            profile = workerContext.fetchResource(StructureDefinition.class, url);
        } catch (FHIRException e) {
            return; // as HAPI does: a profile that fails to load is skipped, the base definition still applies
        }
        if (profile != null) {
            profiles.add(profile);
            return;
        }
        ValidationMessage message = new ValidationMessage();
        message.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
        message.setLevel(ValidationMessage.IssueSeverity.ERROR);
        message.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
        unknown.add(message);
    }

    /**
     * The URLs in meta.profile: read off the resource when the validator was given one (no second parse of the JSON
     * on the write path), from the JSON text otherwise. Anything malformed there is left to the validator to report.
     */
    private static List<String> declaredProfiles(IValidationContext<IBaseResource> context, String json) {
        IBaseResource resource = context.getResource();
        if (resource != null) {
            return resource.getMeta().getProfile().stream().map(IPrimitiveType::getValue).filter(Objects::nonNull)
                    .toList();
        }
        List<String> urls = new ArrayList<>();
        JsonElement root = com.google.gson.JsonParser.parseString(json);
        if (root.isJsonObject() && root.getAsJsonObject().get("meta") instanceof JsonObject meta
                && meta.get("profile") instanceof JsonArray declared) {
            for (JsonElement url : declared) {
                if (url.isJsonPrimitive()) {
                    urls.add(url.getAsString());
                }
            }
        }
        return urls;
    }

    private Lease take() {
        Lease lease = idle.pollFirst();
        return lease != null ? lease : new Lease(newValidator(), newParser());
    }

    private void giveBack(Lease lease) {
        if (++lease.uses < MAX_USES && idle.size() < maxIdle) {
            idle.offerFirst(lease);
        }
    }

    private InstanceValidator newValidator() {
        built.incrementAndGet();
        InstanceValidator validator = new StatelessInstanceValidator(workerContext);
        // The settings HAPI's ValidatorWrapper applies with FhirInstanceValidator's defaults.
        validator.setAnyExtensionsAllowed(true);
        validator.setResourceIdRule(IdStatus.OPTIONAL);
        validator.setNoTerminologyChecks(false);
        validator.setErrorForUnknownProfiles(true);
        validator.setUnknownCodeSystemsCauseErrors(true);
        validator.setPolicyAdvisor(new FhirDefaultPolicyAdvisor());
        validator.setNoExtensibleWarnings(false);
        validator.setNoBindingMsgSuppressed(false);
        validator.setAllowExamples(false);
        validator.setAllowXsiLocation(true);
        return validator;
    }

    /** The HL7 element-model JSON parser, reporting what it cannot read as validation messages. */
    private JsonParser newParser() {
        JsonParser parser = new JsonParser(workerContext);
        parser.setupValidation(ParserBase.ValidationPolicy.EVERYTHING);
        return parser;
    }

    private static SingleValidationMessage toHapi(ValidationMessage message) {
        SingleValidationMessage hapi = new SingleValidationMessage();
        if (message.getLine() != -1) {
            hapi.setLocationLine(message.getLine());
        }
        if (message.getCol() != -1) {
            hapi.setLocationCol(message.getCol());
        }
        hapi.setLocationString(message.getLocation());
        hapi.setMessage(message.getMessage());
        if (message.getLevel() != null) {
            hapi.setSeverity(ResultSeverityEnum.fromCode(message.getLevel().toCode()));
        }
        // A message id with spaces is a sentence from the terminology layer, not a key.
        if (message.getMessageId() != null && !message.getMessageId().contains(" ")) {
            hapi.setMessageId(message.getMessageId());
        }
        if (message.hasSliceInfo()) {
            hapi.setSliceMessages(message.getSliceInfo().stream().map(ValidationMessage::getMessage).toList());
        }
        return hapi;
    }

    /** A validator and its parser, used by one thread at a time. */
    private static final class Lease {
        private final InstanceValidator validator;
        private final JsonParser parser;
        private int uses;

        Lease(InstanceValidator validator, JsonParser parser) {
            this.validator = validator;
            this.parser = parser;
        }

        /**
         * What {@code InstanceValidator.validate(..., InputStream, JSON, profiles)} does, with this lease's parser
         * instead of a new one (building a parser builds a FHIRPath engine and profile utilities). Logical-model
         * profiles need a parser set up for them, so they take the validator's own path.
         */
        void validate(Object appContext, String json, List<StructureDefinition> profiles,
                      List<ValidationMessage> messages) throws FHIRException {
            byte[] content = json.getBytes(StandardCharsets.UTF_8);
            if (profiles.stream().anyMatch(p -> p.getKind() == StructureDefinition.StructureDefinitionKind.LOGICAL)) {
                validator.validate(appContext, messages, new ByteArrayInputStream(content), Manager.FhirFormat.JSON,
                        profiles);
                return;
            }
            List<ValidatedFragment> fragments;
            try {
                fragments = parser.parse(new ByteArrayInputStream(content));
            } catch (IOException e) {
                throw new FHIRException(e);
            }
            for (ValidatedFragment fragment : fragments) {
                if (fragment.getElement() != null) {
                    validator.validate(appContext, fragment.getErrors(), fragments.size() > 1 ? fragment.path() : null,
                            fragment.getElement(), profiles);
                }
                messages.addAll(fragment.getErrors());
            }
        }
    }

    /**
     * Forgets the profile-status warnings already given (draft, retired, experimental) before each resource, so a
     * reused validator reports them for every resource as a new one would.
     */
    private static final class StatelessInstanceValidator extends InstanceValidator {

        StatelessInstanceValidator(IWorkerContext context) {
            super(context, new FhirInstanceValidator.NullEvaluationContext(), new XVerExtensionManagerOld(context),
                    new ValidatorSession(), new ValidatorSettings());
        }

        @Override
        public void validate(Object appContext, List<ValidationMessage> errors, String path, Element element,
                             List<StructureDefinition> profiles) {
            statusWarnings.clear();
            super.validate(appContext, errors, path, element, profiles);
        }
    }
}
