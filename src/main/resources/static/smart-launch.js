'use strict';
// SMART App Launch 2.0, EHR launch (https://hl7.org/fhir/smart-app-launch/app-launch.html), for the timeline link on
// CDS cards. The EHR opens this page with `launch` and `iss`; the page
//   1. reads the EHR's authorization server from `iss`/.well-known/smart-configuration,
//   2. sends the browser there with an authorization code request (PKCE S256, `launch`, `aud` = iss, a random state),
//   3. back here with `code` and `state`, exchanges the code for an access token (with the PKCE verifier),
//   4. keeps the token for this tab only (sessionStorage) and shows the patient of the token response, nobody else.
// window.ntxLaunch resolves to { patient } once launched (also after a reload of the tab), or null without a launch;
// app.js shows that patient. The client id and scopes come from this server (/smart-launch-config).
(function () {
  const STATE_KEY = 'ntx-smart-launch';
  const TOKEN_KEY = 'ntx-token';
  const PATIENT_KEY = 'ntx-launch-patient';
  const params = new URLSearchParams(location.search);

  function base64url(bytes) {
    let binary = '';
    new Uint8Array(bytes).forEach(b => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function randomString(byteCount) {
    const bytes = new Uint8Array(byteCount);
    crypto.getRandomValues(bytes);
    return base64url(bytes);
  }

  async function s256(verifier) {
    return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  }

  async function json(response, what) {
    const body = await response.json().catch(() => null);
    if (!response.ok || !body) {
      const reason = body && (body.error_description || body.error);
      throw new Error(`${what} failed (${response.status}${reason ? ': ' + reason : ''})`);
    }
    return body;
  }

  // This page without its query string: where the authorization server sends the browser back to.
  const redirectUri = () => location.origin + location.pathname;

  async function begin(launch, iss) {
    const base = iss.replace(/\/+$/, '');
    const discovery = await json(await fetch(`${base}/.well-known/smart-configuration`,
      { headers: { Accept: 'application/json' } }), 'Reading the EHR\'s SMART configuration');
    if (!discovery.authorization_endpoint || !discovery.token_endpoint) {
      throw new Error('The EHR\'s SMART configuration names no authorization or token endpoint');
    }
    const methods = discovery.code_challenge_methods_supported;
    if (Array.isArray(methods) && !methods.includes('S256')) {
      throw new Error('The EHR\'s authorization server does not offer PKCE S256');
    }
    const config = await json(await fetch('/smart-launch-config', { headers: { Accept: 'application/json' } }),
      'Reading this server\'s launch settings');
    const verifier = randomString(48);
    const state = randomString(24);
    sessionStorage.setItem(STATE_KEY, JSON.stringify({ state, verifier, iss: base,
      tokenEndpoint: discovery.token_endpoint, clientId: config.clientId, redirectUri: redirectUri() }));
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(PATIENT_KEY);
    const authorize = new URL(discovery.authorization_endpoint);
    Object.entries({
      response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), launch, scope: config.scope,
      state, aud: base, code_challenge: await s256(verifier), code_challenge_method: 'S256'
    }).forEach(([name, value]) => authorize.searchParams.set(name, value));
    location.assign(authorize.toString());
    return new Promise(() => {}); // the page is leaving for the authorization server
  }

  async function complete(code, state) {
    const saved = JSON.parse(sessionStorage.getItem(STATE_KEY) || 'null');
    sessionStorage.removeItem(STATE_KEY);
    if (!saved || saved.state !== state) {
      throw new Error('This sign-in answer does not belong to a launch started in this tab');
    }
    const token = await json(await fetch(saved.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: saved.redirectUri,
        client_id: saved.clientId, code_verifier: saved.verifier })
    }), 'Exchanging the authorization code');
    if (!token.access_token) throw new Error('The token response carries no access token');
    if (!token.patient) throw new Error('The EHR gave no patient context: open the timeline from a patient\'s chart');
    sessionStorage.setItem(TOKEN_KEY, token.access_token);
    sessionStorage.setItem(PATIENT_KEY, token.patient);
    history.replaceState(null, '', redirectUri()); // the code is single-use; keep it out of the address bar
    return { patient: token.patient };
  }

  window.ntxLaunch = (async () => {
    if (params.has('launch') && params.has('iss')) return begin(params.get('launch'), params.get('iss'));
    if (params.has('code') && params.has('state')) return complete(params.get('code'), params.get('state'));
    if (params.has('error')) {
      sessionStorage.removeItem(STATE_KEY);
      throw new Error(`The EHR refused the sign-in: ${params.get('error_description') || params.get('error')}`);
    }
    const patient = sessionStorage.getItem(PATIENT_KEY);
    return patient ? { patient } : null;
  })();
})();
