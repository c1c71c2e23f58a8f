package org.ntx.outcomes;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Research outcome settings ({@code ntx.outcomes.*}).
 *
 * @param pseudonymSalt secret mixed into the pseudonyms of the de-identified export. Set it (from the environment) to
 *                      keep pseudonyms stable across exports and restarts; left empty, a random salt is drawn at each
 *                      start, so pseudonyms cannot be linked across restarts
 */
@ConfigurationProperties("ntx.outcomes")
public record OutcomeProperties(@DefaultValue("") String pseudonymSalt) {}
