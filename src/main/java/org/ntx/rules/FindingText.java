package org.ntx.rules;

/**
 * A finding written out in full, as CDS cards show it in their detail and OperationOutcome issues in their
 * diagnostics: what the rule found, the evidence, and where the thresholds come from, in Markdown.
 */
public final class FindingText {

    private FindingText() {}

    public static String markdown(Finding finding) {
        StringBuilder md = new StringBuilder(finding.detail().strip());
        if (!finding.evidence().isEmpty()) {
            md.append("\n\n**Evidence**\n");
            for (Evidence evidence : finding.evidence()) {
                md.append("\n- ").append(evidence.source().reference()).append(" (")
                        .append(ClinicalText.date(evidence.effective())).append("): ").append(evidence.description());
            }
        }
        if (!finding.citations().isEmpty()) {
            md.append("\n\n**Sources**\n");
            for (Citation citation : finding.citations()) {
                md.append("\n- ").append(citation.text());
            }
        }
        return md.toString();
    }
}
