package org.ntx.terminology;

import org.ntx.timeline.Code;

import java.util.Collection;
import java.util.Set;

/** The codes of one value set expansion, for fast membership tests. */
public record CodeSet(String url, Set<Code> codes) {

    public CodeSet {
        codes = Set.copyOf(codes);
    }

    public boolean contains(Code code) {
        return codes.contains(code);
    }

    public boolean containsAny(Collection<Code> candidates) {
        return candidates.stream().anyMatch(codes::contains);
    }
}
