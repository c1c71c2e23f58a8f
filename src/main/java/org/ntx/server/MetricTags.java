package org.ntx.server;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /actuator/prometheus} is open and must not name Java classes, but Spring tags its metrics with them: the
 * exception an HTTP request ended in, the Spring Security failure and authentication types, the main class. Any tag
 * value that is a class name (qualified, or a CamelCase word) becomes {@code error} for the exception and error tags
 * and {@code other} for the rest; which class it was is in the log.
 */
@Configuration(proxyBeanMethods = false)
class MetricTags {

    private static final Pattern CLASS_NAME = Pattern.compile(
            "(?:[a-z][a-z0-9_]*\\.)+[A-Z][\\w$]*|[A-Z][A-Za-z0-9]*[a-z0-9][A-Z][A-Za-z0-9]*");

    @Bean
    MeterFilter tagsWithoutClassNames() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                List<Tag> tags = id.getTags().stream().map(MetricTags::withoutClassName).toList();
                return tags.equals(id.getTags()) ? id : id.replaceTags(tags);
            }
        };
    }

    static Tag withoutClassName(Tag tag) {
        if (!CLASS_NAME.matcher(tag.getValue()).matches()) {
            return tag;
        }
        boolean failure = tag.getKey().contains("exception") || tag.getKey().contains("error")
                || tag.getKey().contains("failure");
        return Tag.of(tag.getKey(), failure ? "error" : "other");
    }
}
