package org.ntx.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;

import java.util.EnumSet;
import java.util.Set;

/**
 * FHIR bodies written to this server are read strictly: an unknown or misspelt element, a value of the wrong JSON
 * type, an invalid value, a repeated element that may not repeat or XML in another namespace is a 400 with an
 * OperationOutcome naming it, instead of HAPI's default of dropping what it cannot read and storing the rest (the
 * client would believe its data stored when part of it was silently lost).
 *
 * <p>Only the parsing of the request body is strict. HAPI reads stored resources with its own tolerant parser, CDS
 * Hooks requests and CDS clients' FHIR servers are read leniently on purpose (see {@code cds.CdsRequestParser}); so the
 * context's error handler delegates to the strict one only while this thread parses a write's body: from the moment
 * the request is recognised as a write until HAPI has parsed it (for a PATCH, until the patched resource has been
 * read back too, since that happens later, inside the storage layer).
 */
public final class StrictWrites implements IParserErrorHandler {

    private static final Set<RestOperationTypeEnum> WRITES = EnumSet.of(RestOperationTypeEnum.CREATE,
            RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH, RestOperationTypeEnum.TRANSACTION,
            RestOperationTypeEnum.BATCH, RestOperationTypeEnum.VALIDATE, RestOperationTypeEnum.META_ADD,
            RestOperationTypeEnum.META_DELETE, RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE,
            RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);

    /** HAPI's default: warn and go on. */
    private final IParserErrorHandler usual = new LenientErrorHandler();
    private final IParserErrorHandler strict = new StrictErrorHandler();
    private final ThreadLocal<Boolean> writing = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** Becomes the context's error handler; one per context (a Spring bean). */
    StrictWrites(FhirContext fhirContext) {
        fhirContext.setParserErrorHandler(this);
    }

    /** Forgets the state of the finished request (called from a filter's {@code finally}, whatever happened). */
    void requestFinished() {
        writing.remove();
    }

    private IParserErrorHandler current() {
        return writing.get() ? strict : usual;
    }

    /** The hooks that switch strict reading on for a write's body and off once it is read. */
    @Interceptor
    final class Hooks {

        @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
        public boolean bodyAboutToBeRead(RequestDetails request) {
            writing.set(request.getRestOperationType() != null && WRITES.contains(request.getRestOperationType())
                    && request.getRequestType() != null && request.getRequestType().name().matches("POST|PUT|PATCH"));
            return true;
        }

        @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
        public void bodyRead(RequestDetails request) {
            if (request.getRestOperationType() != RestOperationTypeEnum.PATCH
                    && request.getRestOperationType() != RestOperationTypeEnum.TRANSACTION
                    && request.getRestOperationType() != RestOperationTypeEnum.BATCH) {
                writing.set(Boolean.FALSE);
            }
        }
    }

    Hooks hooks() {
        return new Hooks();
    }

    @Override
    public void containedResourceWithNoId(IParseLocation location) {
        current().containedResourceWithNoId(location);
    }

    @Override
    public void incorrectJsonType(IParseLocation location, String elementName, BaseJsonLikeValue.ValueType expected,
                                  BaseJsonLikeValue.ScalarType expectedScalar, BaseJsonLikeValue.ValueType found,
                                  BaseJsonLikeValue.ScalarType foundScalar) {
        current().incorrectJsonType(location, elementName, expected, expectedScalar, found, foundScalar);
    }

    @Override
    public void invalidValue(IParseLocation location, String value, String error) {
        current().invalidValue(location, value, error);
    }

    @Override
    public void missingRequiredElement(IParseLocation location, String elementName) {
        current().missingRequiredElement(location, elementName);
    }

    @Override
    public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
        current().unexpectedRepeatingElement(location, elementName);
    }

    @Override
    public void unknownAttribute(IParseLocation location, String attributeName) {
        current().unknownAttribute(location, attributeName);
    }

    @Override
    public void unknownElement(IParseLocation location, String elementName) {
        current().unknownElement(location, elementName);
    }

    @Override
    public void unknownReference(IParseLocation location, String reference) {
        current().unknownReference(location, reference);
    }

    @Override
    public void invalidInternalReference(IParseLocation location, String reference) {
        current().invalidInternalReference(location, reference);
    }

    @Override
    public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
        current().extensionContainsValueAndNestedExtensions(location);
    }
}
