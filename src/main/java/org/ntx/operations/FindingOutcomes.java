package org.ntx.operations;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ntx.profiles.Canonicals;
import org.ntx.rules.Finding;
import org.ntx.rules.FindingText;

import java.util.List;

/** Findings as OperationOutcome issues: severity from the finding, the card topic as the issue's details coding. */
final class FindingOutcomes {

    private FindingOutcomes() {}

    static OperationOutcome toOperationOutcome(List<Finding> findings) {
        OperationOutcome outcome = new OperationOutcome();
        for (Finding finding : findings) {
            outcome.addIssue(issue(finding));
        }
        if (findings.isEmpty()) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                    .setDiagnostics("No naltrexone safety findings for this order");
        }
        return outcome;
    }

    static OperationOutcome.OperationOutcomeIssueComponent issue(Finding finding) {
        return new OperationOutcome.OperationOutcomeIssueComponent()
                .setSeverity(switch (finding.severity()) {
                    case CRITICAL -> OperationOutcome.IssueSeverity.ERROR;
                    case WARNING -> OperationOutcome.IssueSeverity.WARNING;
                    case INFO -> OperationOutcome.IssueSeverity.INFORMATION;
                })
                .setCode(OperationOutcome.IssueType.BUSINESSRULE)
                .setDetails(new CodeableConcept()
                        .addCoding(new Coding(Canonicals.CODE_SYSTEM, finding.topic().code(), null))
                        .setText(finding.summary()))
                .setDiagnostics(FindingText.markdown(finding));
    }
}
