package org.ntx.security;

import org.junit.jupiter.api.Test;
import org.ntx.security.JtiReplayCache.Use;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class JtiReplayCacheTest {

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void remembersATokenUntilItExpires() {
        JtiReplayCache cache = new JtiReplayCache(10);
        assertThat(cache.use("a", NOW.plusSeconds(60), NOW)).isEqualTo(Use.FIRST);
        assertThat(cache.use("a", NOW.plusSeconds(60), NOW.plusSeconds(59))).isEqualTo(Use.REPLAYED);
        assertThat(cache.use("a", NOW.plusSeconds(200), NOW.plusSeconds(61))).isEqualTo(Use.FIRST);
    }

    @Test
    void makesRoomByForgettingExpiredTokensOnly() {
        JtiReplayCache cache = new JtiReplayCache(2);
        cache.use("old", NOW.plusSeconds(10), NOW);
        cache.use("live", NOW.plusSeconds(300), NOW);
        assertThat(cache.use("new", NOW.plusSeconds(300), NOW.plusSeconds(20))).isEqualTo(Use.FIRST);
        assertThat(cache.use("newer", NOW.plusSeconds(300), NOW.plusSeconds(20))).isEqualTo(Use.FULL);
        assertThat(cache.size()).isEqualTo(2);
    }
}
