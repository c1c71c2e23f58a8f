package org.ntx.security;

import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderAppliesTo;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import ca.uhn.fhir.rest.server.provider.ProviderConstants;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.ntx.security.SmartScope.Permission;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an {@link AccessGrant} into HAPI authorization rules: which resources the token may read and write, and which
 * operations it may run. HAPI checks every resource going in and out against these rules; {@link ScopeGate} checks
 * the kind of interaction (read vs search, create vs update) first.
 *
 * <p>Operations are listed here one by one; an operation not named below is refused for every token.
 */
final class ScopeRules {

    /** The research operations (see {@code outcomes/}): aggregate, population-level results. */
    static final List<String> RESEARCH_OPERATIONS = List.of("$naltrexone-outcomes", "$naltrexone-outcomes-export",
            "$naltrexone-survival");
    /** The research operations also offered on a Group (its members bound the cohort). */
    static final List<String> GROUP_RESEARCH_OPERATIONS = List.of("$naltrexone-outcomes", "$naltrexone-survival");

    /** Operations on one patient's record; what they return is checked against the read rules. */
    static final List<String> PATIENT_OPERATIONS = List.of("$everything", "$naltrexone-status");

    /** Terminology operations: they reveal no patient data. */
    static final List<String> TERMINOLOGY_OPERATIONS =
            List.of("$expand", "$validate-code", "$lookup", "$subsumes", "$translate");

    private ScopeRules() {}

    static List<IAuthRule> rulesFor(AccessGrant grant) {
        IAuthRuleBuilder rules = new RuleBuilder();
        rules.allow("CapabilityStatement").metadata();
        if (grant.authenticated()) {
            resourceRules(grant, rules);
            operationRules(grant, rules);
        }
        rules.denyAll("No scope of this access token permits this request");
        return rules.build();
    }

    private static void resourceRules(AccessGrant grant, IAuthRuleBuilder rules) {
        for (Map.Entry<String, Set<Permission>> entry : grant.permissionsByType().entrySet()) {
            String type = entry.getKey();
            Set<Permission> permissions = entry.getValue();
            String label = type == null ? "all resources" : type;
            if (permissions.contains(Permission.READ) || permissions.contains(Permission.SEARCH)) {
                classify(grant, target(rules.allow("Read " + label).read(), type));
            }
            if (permissions.contains(Permission.CREATE)) {
                classify(grant, target(rules.allow("Create " + label).create(), type));
            }
            if (permissions.contains(Permission.UPDATE)) {
                // HAPI's "write" covers update (and create); ScopeGate refuses a top-level create without 'c'.
                classify(grant, target(rules.allow("Update " + label).write(), type));
            }
            if (permissions.contains(Permission.DELETE)) {
                classify(grant, target(rules.allow("Delete " + label).delete(), type));
            }
        }
        if (grant.hasAny(Permission.UPDATE)) {
            // A PATCH request itself; the patched resource is then checked as an update by the rules above.
            rules.allow("Patch").patch().allRequests();
        }
        if (!grant.permissionsByType().isEmpty()) {
            rules.allow("Transaction and batch").transaction().withAnyOperation().andApplyNormalRules();
        }
    }

    private static void operationRules(AccessGrant grant, IAuthRuleBuilder rules) {
        for (String operation : TERMINOLOGY_OPERATIONS) {
            rules.allow("Terminology " + operation).operation().named(operation).atAnyLevel().andAllowAllResponses();
        }

        if (grant.permissionsOn(null).contains(Permission.READ)) {
            for (String operation : PATIENT_OPERATIONS) {
                var named = rules.allow("Patient operation " + operation).operation().named(operation);
                (grant.compartmentBound() ? named.onInstance(patientId(grant)) : named.onInstancesOfType(Patient.class))
                        .andRequireExplicitResponseAuthorization();
            }
            if (!grant.compartmentBound()) {
                // The draft order names its own patient, which a compartment-bound token cannot be held to.
                rules.allow("Order check").operation().named("$naltrexone-check").onType(MedicationRequest.class)
                        .andRequireExplicitResponseAuthorization();
            }
        }

        if (grant.research() || grant.readsAllPatients()) {
            for (String operation : RESEARCH_OPERATIONS) {
                rules.allow("Research " + operation).operation().named(operation).onServer().andAllowAllResponses();
            }
            for (String operation : GROUP_RESEARCH_OPERATIONS) {
                rules.allow("Research " + operation + " on a Group").operation().named(operation)
                        .onInstancesOfType(Group.class).andAllowAllResponses();
            }
            rules.allow("Bulk export").bulkExport().any();
            String export = ProviderConstants.OPERATION_EXPORT;
            rules.allow("Bulk export (system)").operation().named(export).onServer().andAllowAllResponses();
            rules.allow("Bulk export (Group)").operation().named(export).onInstancesOfType(Group.class)
                    .andAllowAllResponses();
            rules.allow("Bulk export (Patient)").operation().named(export).onType(Patient.class)
                    .andAllowAllResponses();
            rules.allow("Bulk export status").operation().named(ProviderConstants.OPERATION_EXPORT_POLL_STATUS)
                    .onServer().andAllowAllResponses();
        }
    }

    private static IAuthRuleBuilderRuleOpClassifier target(
            IAuthRuleBuilderAppliesTo<IAuthRuleBuilderRuleOpClassifier> rule, String type) {
        return type == null ? rule.allResources() : rule.resourcesOfType(type);
    }

    private static void classify(AccessGrant grant, IAuthRuleBuilderRuleOpClassifier rule) {
        if (grant.compartmentBound()) {
            rule.inCompartment("Patient", patientId(grant));
        } else {
            rule.withAnyId();
        }
    }

    static IdType patientId(AccessGrant grant) {
        String id = grant.patientId();
        return new IdType("Patient", id.contains("/") ? id.substring(id.lastIndexOf('/') + 1) : id);
    }
}
