package org.ntx.cardpages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ntx.rules.Citation;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.Topic;
import org.ntx.rules.TopicBasis;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

/**
 * The pages a CDS card's {@code source.url} points to: {@code /cards/{topic}} says what the card means (the topic's
 * definition in our CodeSystem), what its rule checks, the thresholds it uses with the values this deployment runs
 * with (the {@code ntx.rules.*} setting of each), and the sources it cites, all read from the rules and the package at
 * start-up, never retyped. {@code /cards} lists them. Open without authentication: no patient data.
 */
@RestController
public class CardPages {

    static final String PATH = "/cards";

    private final Map<Topic, Page> pages = new LinkedHashMap<>();

    CardPages(NaltrexoneRules rules) {
        Map<String, JsonNode> concepts = topicConcepts();
        for (TopicBasis basis : rules.basis()) {
            JsonNode concept = concepts.get(basis.topic().code());
            pages.put(basis.topic(), new Page(basis, concept == null ? basis.topic().code()
                    : concept.path("display").asText(), concept == null ? "" : concept.path("definition").asText()));
        }
    }

    record Page(TopicBasis basis, String title, String definition) {}

    @GetMapping(path = PATH, produces = MediaType.TEXT_HTML_VALUE)
    String index() {
        StringBuilder html = head("CDS cards");
        html.append("<h1>What the Naltrexone FHIR Service's cards mean</h1>\n<ul>\n");
        pages.forEach((topic, page) -> html.append("<li><a href=\"").append(PATH).append('/').append(topic.code())
                .append("\">").append(htmlEscape(page.title())).append("</a>: ")
                .append(htmlEscape(page.definition())).append("</li>\n"));
        return html.append("</ul>\n</body>\n</html>\n").toString();
    }

    @GetMapping(path = PATH + "/{topic}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> topic(@PathVariable String topic) {
        Optional<Page> found = pages.entrySet().stream().filter(e -> e.getKey().code().equals(topic))
                .map(Map.Entry::getValue).findFirst();
        if (found.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_HTML)
                    .body(head("Unknown card topic") + "<h1>Unknown card topic</h1>\n<p><a href=\"" + PATH
                            + "\">All card topics</a></p>\n</body>\n</html>\n");
        }
        Page page = found.get();
        TopicBasis basis = page.basis();
        StringBuilder html = head(page.title());
        html.append("<h1>").append(htmlEscape(page.title())).append("</h1>\n");
        html.append("<p class=\"topic\">Card topic <code>").append(basis.topic().code()).append("</code></p>\n");
        html.append("<h2>What it means</h2>\n<p>").append(htmlEscape(page.definition())).append("</p>\n");
        html.append("<h2>What the rule checks</h2>\n<p>").append(htmlEscape(capitalised(basis.checks())))
                .append(".</p>\n");
        if (!basis.thresholds().isEmpty()) {
            html.append("<h2>Thresholds in use here</h2>\n<table>\n<tr><th>Threshold</th><th>Value</th>"
                    + "<th>Setting</th></tr>\n");
            basis.thresholds().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(t -> html
                    .append("<tr><td>").append(htmlEscape(words(t.getKey()))).append("</td><td>")
                    .append(htmlEscape(t.getValue())).append("</td><td><code>ntx.rules.")
                    .append(kebab(t.getKey())).append("</code></td></tr>\n"));
            html.append("</table>\n");
        }
        if (!basis.citations().isEmpty()) {
            html.append("<h2>Sources</h2>\n<ul>\n");
            for (Citation citation : basis.citations()) {
                html.append("<li id=\"").append(CardLinks.anchor(citation)).append("\">")
                        .append(htmlEscape(citation.text())).append("</li>\n");
            }
            html.append("</ul>\n");
        }
        html.append("<p><a href=\"").append(PATH).append("\">All card topics</a></p>\n</body>\n</html>\n");
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(html.toString());
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(htmlEscape(title)).append(" - Naltrexone FHIR Service</title>\n"
                        + "<link rel=\"stylesheet\" href=\"/app.css\">\n</head>\n<body>\n");
    }

    private static Map<String, JsonNode> topicConcepts() {
        try (InputStream in = CardPages.class.getClassLoader().getResourceAsStream("fhir-profiles/CodeSystem-ntx.json")) {
            if (in == null) {
                return Map.of();
            }
            Map<String, JsonNode> concepts = new LinkedHashMap<>();
            collect(new ObjectMapper().readTree(in).path("concept"), concepts);
            return concepts;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the package's CodeSystem", e);
        }
    }

    private static void collect(JsonNode concepts, Map<String, JsonNode> into) {
        for (JsonNode concept : concepts) {
            into.put(concept.path("code").asText(), concept);
            collect(concept.path("concept"), into);
        }
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** {@code liverWarningMultiple} -> "liver warning multiple". */
    static String words(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code liverWarningMultiple} -> {@code liver-warning-multiple}, the property name. */
    static String kebab(String camel) {
        return words(camel).replace(' ', '-');
    }

    /** The topics with pages, for tests and links. */
    List<Topic> topics() {
        return List.copyOf(pages.keySet());
    }
}
