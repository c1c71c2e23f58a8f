package org.ntx.rules;

/** How urgently a finding needs attention, in increasing order. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL
}
