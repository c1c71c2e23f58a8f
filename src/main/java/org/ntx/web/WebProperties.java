package org.ntx.web;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The web page as a SMART app ({@code ntx.web.*}), launched by an EHR from a card's timeline link.
 *
 * @param smartClientId the client id this page is registered under at the EHR's authorization server (a public
 *                      client: PKCE, no secret); its redirect URI is this server's root URL
 * @param smartScope    the scopes the page asks for: the launch context, and read access to the patient's record,
 *                      which the timeline needs whole
 */
@Validated
@ConfigurationProperties("ntx.web")
public record WebProperties(
        @DefaultValue("ntx-timeline") @NotBlank String smartClientId,
        @DefaultValue("launch openid fhirUser patient/*.rs") @NotBlank String smartScope) {}
