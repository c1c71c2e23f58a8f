package org.ntx.security;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers the {@code jti} of every accepted CDS client JWT until that token has expired, so the same token cannot
 * be played twice. In memory and per node: behind a load balancer a token could be replayed once on each node within
 * its lifetime (at most 5 minutes). Bounded: when full of unexpired entries it refuses new tokens rather than forget
 * old ones (fail closed).
 */
final class JtiReplayCache {

    enum Use { FIRST, REPLAYED, FULL }

    private final int capacity;
    private final Map<String, Instant> seen = new HashMap<>();

    JtiReplayCache(int capacity) {
        this.capacity = capacity;
    }

    /** Records {@code key} as used until {@code keepUntil}; says whether it was already used. */
    synchronized Use use(String key, Instant keepUntil, Instant now) {
        Instant previous = seen.get(key);
        if (previous != null && previous.isAfter(now)) {
            return Use.REPLAYED;
        }
        if (previous == null && seen.size() >= capacity) {
            seen.values().removeIf(expiry -> !expiry.isAfter(now));
            if (seen.size() >= capacity) {
                return Use.FULL;
            }
        }
        seen.put(key, keepUntil);
        return Use.FIRST;
    }

    synchronized int size() {
        return seen.size();
    }
}
