package org.ntx.rules;

import java.util.function.Function;

/**
 * A finding written out in full, as CDS cards show it in their detail and OperationOutcome issues in their
 * diagnostics: what the rule found, the evidence, and where the thresholds come from, in Markdown.
 */
public final class FindingText {

    private FindingText() {}

    public static String markdown(Finding finding) {
        return markdown(finding, citation -> null);
    }

    /**
     * As {@link #markdown(Finding)}, with each source a Markdown link to {@code citationUrl}'s answer (none where it
     * answers null): where a reader finds the source explained.
     */
    public static String markdown(Finding finding, Function<Citation, String> citationUrl) {
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
                String url = citationUrl.apply(citation);
                md.append("\n- ").append(url == null ? citation.text() : "[" + citation.text() + "](" + url + ")");
            }
        }
        return md.toString();
    }
}
