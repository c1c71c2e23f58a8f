package org.ntx.cardpages;

import org.ntx.rules.Topic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The URL of a topic's card page, for a card's {@code source.url}. Behind a proxy the public address comes from
 * {@code ntx.server.public-base-url} (the FHIR base; its {@code /fhir} is dropped); otherwise from the request being
 * answered, as the client addressed this server.
 */
@Component
public class CardLinks {

    private final String publicBase;

    CardLinks(@Value("${ntx.server.public-base-url:}") String publicFhirBase) {
        String base = publicFhirBase == null ? "" : publicFhirBase.strip();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.publicBase = base.endsWith("/fhir") ? base.substring(0, base.length() - "/fhir".length()) : base;
    }

    public String forTopic(Topic topic) {
        return base() + CardPages.PATH + "/" + topic.code();
    }

    private String base() {
        if (StringUtils.hasText(publicBase)) {
            return publicBase;
        }
        try {
            return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        } catch (IllegalStateException outsideARequest) {
            return "http://127.0.0.1:8080";
        }
    }
}
