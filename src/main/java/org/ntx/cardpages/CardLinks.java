package org.ntx.cardpages;

import org.ntx.rules.Citation;
import org.ntx.rules.Topic;
import org.ntx.server.PublicUrls;
import org.springframework.stereotype.Component;

import java.util.Locale;

/**
 * The URL of a topic's card page, for a card's {@code source.url}, and of one of its sources, for the card's
 * citations. The public address comes from {@link PublicUrls}, the one place that builds this server's public URLs
 * ({@code ntx.server.public-base-url} behind a proxy, otherwise the request being answered).
 */
@Component
public class CardLinks {

    private final PublicUrls urls;

    public CardLinks(PublicUrls urls) {
        this.urls = urls;
    }

    public String forTopic(Topic topic) {
        return urls.topicPage(topic.code());
    }

    /** The citation's entry on the topic's page ({@code #citation-vivitrol-blockade}). */
    public String forCitation(Topic topic, Citation citation) {
        return urls.topicPage(topic.code(), anchor(citation));
    }

    /** The id a citation's entry carries on the card pages. */
    static String anchor(Citation citation) {
        return "citation-" + citation.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
