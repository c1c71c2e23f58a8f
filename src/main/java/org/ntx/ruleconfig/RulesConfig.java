package org.ntx.ruleconfig;

import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.OpioidBlockade;
import org.ntx.rules.Thresholds;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The pure rules as Spring beans, with the site's thresholds: kept out of {@code rules}, which stays free of Spring.
 */
@Configuration
class RulesConfig {

    @Bean
    Thresholds thresholds(RuleProperties properties) {
        return properties.thresholds();
    }

    @Bean
    NaltrexoneRules naltrexoneRules(Thresholds thresholds) {
        return new NaltrexoneRules(thresholds);
    }

    @Bean
    OpioidBlockade opioidBlockade(Thresholds thresholds) {
        return new OpioidBlockade(thresholds);
    }
}
