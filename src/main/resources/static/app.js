'use strict';
// The page talks only to this server: the FHIR API (/fhir), the CDS services (/cds-services) and the timeline
// API (/api). No data leaves the browser for anywhere else, and all libraries are served from the jar.

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const DAY = 24 * 3600 * 1000;
const ntx = { charts: {}, timeline: null };
window.ntx = ntx;

// ---- tabs (WAI-ARIA tabs pattern: arrow keys move between tabs) ----------------------------------------------
const tabs = [...document.querySelectorAll('[role=tab]')];
function selectTab(tab) {
  tabs.forEach(t => {
    const selected = t === tab;
    t.setAttribute('aria-selected', selected);
    t.tabIndex = selected ? 0 : -1;
    document.getElementById(t.getAttribute('aria-controls')).hidden = !selected;
  });
  tab.focus();
}
tabs.forEach((tab, i) => {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', e => {
    if (e.key === 'ArrowRight') selectTab(tabs[(i + 1) % tabs.length]);
    if (e.key === 'ArrowLeft') selectTab(tabs[(i - 1 + tabs.length) % tabs.length]);
  });
});

// ---- access token -----------------------------------------------------------------------------------------------
// With authentication on, the server advertises SMART endpoints; the user pastes an access token, kept only for
// this browser tab (sessionStorage) and sent as a Bearer token to this server and nowhere else.
const accessForm = document.getElementById('access');
fetch('/fhir/.well-known/smart-configuration').then(r => { if (r.ok) accessForm.hidden = false; }).catch(() => {});
accessForm.addEventListener('submit', e => {
  e.preventDefault();
  sessionStorage.setItem('ntx-token', document.getElementById('access-token').value.trim());
  document.getElementById('access-token').value = '';
});

async function getJson(url, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const token = sessionStorage.getItem('ntx-token');
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { ...options, headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body && (body.message || (body.issue && body.issue[0] && body.issue[0].diagnostics));
    throw new Error(`${response.status}: ${message || response.statusText}`);
  }
  return body;
}

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

const date = iso => iso ? new Date(iso).toISOString().slice(0, 10) : '';

// ---- patient search ---------------------------------------------------------------------------------------------
document.getElementById('patient-search').addEventListener('submit', async e => {
  e.preventDefault();
  const q = document.getElementById('patient-query').value.trim();
  const list = document.getElementById('patient-results');
  list.replaceChildren(text('li', 'Searching…'));
  try {
    const byName = await getJson(`/fhir/Patient?name=${encodeURIComponent(q)}&_count=20`);
    const byIdentifier = await getJson(`/fhir/Patient?identifier=${encodeURIComponent(q)}&_count=20`);
    const byId = /^[A-Za-z0-9\-.]{1,64}$/.test(q) ? await getJson(`/fhir/Patient?_id=${q}`) : { entry: [] };
    const patients = new Map();
    [byName, byIdentifier, byId].forEach(b => (b.entry || []).forEach(en => patients.set(en.resource.id, en.resource)));
    list.replaceChildren();
    if (patients.size === 0) list.append(text('li', 'No patient found.'));
    patients.forEach(patient => {
      const item = document.createElement('li');
      const button = text('button', `${patientName(patient)} (Patient/${patient.id})`);
      button.type = 'button';
      button.dataset.patientId = patient.id;
      button.addEventListener('click', () => loadPatient(patient));
      item.append(button);
      list.append(item);
    });
  } catch (error) {
    list.replaceChildren(text('li', `Search failed: ${error.message}`));
  }
});

function patientName(patient) {
  const name = (patient.name || [])[0];
  if (!name) return 'Unnamed patient';
  return [...(name.given || []), name.family].filter(Boolean).join(' ');
}

async function loadPatient(patient) {
  document.getElementById('patient-detail').hidden = false;
  document.getElementById('patient-title').textContent = `${patientName(patient)} (Patient/${patient.id})`;
  document.getElementById('order-patient').value = patient.id;
  const summary = document.getElementById('patient-summary');
  summary.textContent = 'Loading…';
  try {
    const timeline = await getJson(`/api/patients/${patient.id}/timeline`);
    ntx.timeline = timeline;
    ntx.timelineView = wholeHistory(timeline);
    summary.textContent = describe(timeline);
    drawTimeline(timeline, ntx.timelineView);
  } catch (error) {
    summary.textContent = `Could not load the timeline: ${error.message}`;
  }
  const cards = document.getElementById('patient-cards');
  cards.replaceChildren(text('p', 'Asking the patient-view service…'));
  try {
    const response = await cds('naltrexone-patient-view', 'patient-view', patient.id, null);
    showCards(cards, response.cards, 'No cards: this patient has no naltrexone on record.');
  } catch (error) {
    cards.replaceChildren(text('p', `The CDS service failed: ${error.message}`));
  }
}

function describe(t) {
  const parts = [`Blockade: ${t.blockade.phase}`];
  if (t.blockade.formulation) parts.push(`formulation ${t.blockade.formulation}`);
  if (t.blockade.activeUntil) parts.push(`active until ${date(t.blockade.activeUntil)}`);
  if (t.blockade.nextInjectionDue) parts.push(`next injection due ${date(t.blockade.nextInjectionDue)}`);
  if (t.inductionWindow) {
    const days = Math.ceil((new Date(t.inductionWindow.closesAt) - new Date(t.asOf)) / DAY);
    parts.push(t.inductionWindow.open
      ? `induction window closes ${date(t.inductionWindow.closesAt)} (in ${days} days)`
      : `opioid-free since ${date(t.inductionWindow.lastOpioidExposure)}`);
  }
  if (t.unavailable.length) parts.push(`could not read: ${t.unavailable.join(', ')}`);
  return parts.join(' · ');
}

// ---- timeline chart (SVG, drawn here so every mark can carry a title and a data-kind) -------------------------
const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attributes, title) {
  const element = document.createElementNS(SVG, tag);
  Object.entries(attributes).forEach(([k, v]) => element.setAttribute(k, v));
  if (title) {
    const t = document.createElementNS(SVG, 'title');
    t.textContent = title;
    element.append(t);
  }
  return element;
}

// The range shown: by default the whole naltrexone history (from two weeks before the first naltrexone record, at
// least the last six months) to 45 days ahead; the buttons, the mouse wheel and dragging zoom and pan it.
function wholeHistory(t) {
  const asOf = new Date(t.asOf).getTime();
  const starts = t.medications.filter(m => m.counts && (m.drugClass || '').startsWith('naltrexone'))
    .map(m => new Date(m.start).getTime());
  const first = starts.length ? Math.min(...starts) - 14 * DAY : asOf - 180 * DAY;
  return { from: Math.min(first, asOf - 180 * DAY), to: asOf + 45 * DAY };
}

function lastSixMonths(t) {
  const asOf = new Date(t.asOf).getTime();
  return { from: asOf - 182 * DAY, to: asOf + 45 * DAY };
}

function zoomed(view, factor, centre) {
  const middle = centre ?? (view.from + view.to) / 2;
  const span = Math.max(14 * DAY, (view.to - view.from) * factor);
  const share = (middle - view.from) / (view.to - view.from);
  return { from: middle - span * share, to: middle + span * (1 - share) };
}

function panned(view, fraction) {
  const shift = (view.to - view.from) * fraction;
  return { from: view.from + shift, to: view.to + shift };
}

function showTimeline(view) {
  if (!ntx.timeline) return;
  ntx.timelineView = view;
  drawTimeline(ntx.timeline, view);
}

document.getElementById('timeline-all').addEventListener('click', () => showTimeline(wholeHistory(ntx.timeline)));
document.getElementById('timeline-6m').addEventListener('click', () => showTimeline(lastSixMonths(ntx.timeline)));
document.getElementById('timeline-zoom-in').addEventListener('click', () => showTimeline(zoomed(ntx.timelineView, 0.5)));
document.getElementById('timeline-zoom-out').addEventListener('click', () => showTimeline(zoomed(ntx.timelineView, 2)));
document.getElementById('timeline-earlier').addEventListener('click', () => showTimeline(panned(ntx.timelineView, -0.25)));
document.getElementById('timeline-later').addEventListener('click', () => showTimeline(panned(ntx.timelineView, 0.25)));
(() => {
  const box = document.getElementById('timeline');
  let dragStart = null;
  const timeAt = clientX => {
    const rect = box.getBoundingClientRect();
    const share = Math.min(Math.max((clientX - rect.left) / rect.width * 1100 - 150, 0) / (1100 - 170), 1);
    return ntx.timelineView.from + share * (ntx.timelineView.to - ntx.timelineView.from);
  };
  box.addEventListener('wheel', event => {
    if (!ntx.timelineView) return;
    event.preventDefault();
    showTimeline(zoomed(ntx.timelineView, event.deltaY < 0 ? 0.8 : 1.25, timeAt(event.clientX)));
  }, { passive: false });
  box.addEventListener('pointerdown', event => { dragStart = { x: event.clientX, view: ntx.timelineView }; });
  window.addEventListener('pointerup', () => { dragStart = null; });
  box.addEventListener('pointermove', event => {
    if (!dragStart || !dragStart.view) return;
    const width = box.getBoundingClientRect().width || 1;
    showTimeline(panned(dragStart.view, -(event.clientX - dragStart.x) / width));
  });
})();

function drawTimeline(t, view) {
  const asOf = new Date(t.asOf).getTime();
  const { from, to } = view || wholeHistory(t);
  document.getElementById('timeline-range').textContent = `Showing ${date(from)} to ${date(to)}`;
  const width = 1100, left = 150, right = 20;
  const rows = ['Naltrexone', 'Opioids', 'Urine screens', 'Liver (x ULN)', 'Induction window'];
  const rowHeight = 46, top = 30, height = top + rows.length * rowHeight + 30;
  const x = time => left + (Math.min(Math.max(time, from), to) - from) / (to - from) * (width - left - right);
  // Marks wholly outside the range are not drawn (they would pile up at its edges).
  const inView = (start, end) => end >= from && start <= to;
  const y = row => top + row * rowHeight;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `Treatment timeline from ${date(from)} to ${date(to)}`, 'data-from': new Date(from).toISOString(),
    'data-to': new Date(to).toISOString() });

  rows.forEach((label, i) => {
    chart.append(svg('text', { x: 8, y: y(i) + rowHeight / 2 + 5, 'font-size': 14 }));
    chart.lastChild.textContent = label;
    chart.append(svg('line', { x1: left, x2: width - right, y1: y(i) + rowHeight, y2: y(i) + rowHeight,
      stroke: '#e2e2e2' }));
  });
  const monthStep = Math.max(1, Math.ceil((to - from) / (30 * DAY) / 12));
  for (let month = new Date(from); month.getTime() < to; month.setUTCMonth(month.getUTCMonth() + monthStep, 1)) {
    const tick = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1);
    if (tick < from) continue;
    chart.append(svg('line', { x1: x(tick), x2: x(tick), y1: top - 5, y2: height - 25, stroke: '#eeeeee' }));
    const label = svg('text', { x: x(tick) + 3, y: height - 10, 'font-size': 12, fill: '#5a5a5a' });
    label.textContent = new Date(tick).toISOString().slice(0, 7);
    chart.append(label);
  }

  const counting = t.medications.filter(m => m.counts);
  counting.filter(m => m.drugClass === 'naltrexone-extended-release' && m.kind !== 'order').forEach(m => {
    const start = new Date(m.start).getTime();
    if (!inView(start, start + 35 * DAY)) return;
    chart.append(svg('rect', { x: x(start), y: y(0) + 8, width: Math.max(2, x(start + 28 * DAY) - x(start)), height: 14,
      fill: '#0072B2', 'data-kind': 'injection-band' },
      `Injection ${date(m.start)} (${m.reference}): blockade to ${date(new Date(start + 28 * DAY))}`));
    chart.append(svg('rect', { x: x(start + 28 * DAY), y: y(0) + 8,
      width: Math.max(1, x(start + 35 * DAY) - x(start + 28 * DAY)), height: 14, fill: 'url(#waning)',
      stroke: '#56B4E9', 'data-kind': 'waning-band' }, `Waning blockade, days 29-35 after ${date(m.start)}`));
  });
  counting.filter(m => m.drugClass === 'naltrexone-oral' && m.kind === 'dispense').forEach(m => {
    const start = new Date(m.start).getTime();
    const end = m.end ? new Date(m.end).getTime() : start + DAY;
    if (!inView(start, end)) return;
    chart.append(svg('rect', { x: x(start), y: y(0) + 26, width: Math.max(2, x(end) - x(start)), height: 10,
      fill: '#009E73', 'data-kind': 'oral-supply' }, `Oral naltrexone dispensed ${date(m.start)} (${m.reference})`));
  });
  counting.filter(m => m.drugClass === 'opioid-short-acting' || m.drugClass === 'opioid-long-acting').forEach(m => {
    const start = new Date(m.start).getTime();
    const end = m.end ? new Date(m.end).getTime() : start + DAY;
    if (!inView(start, end)) return;
    chart.append(svg('rect', { x: x(start), y: y(1) + 14, width: Math.max(4, x(end) - x(start)), height: 18,
      fill: '#D55E00', 'data-kind': 'opioid' },
      `${m.display} (${m.kind}, ${m.reference}) ${date(m.start)}${m.end ? ' to ' + date(m.end) : ''}`));
  });
  t.labs.filter(l => l.counts && l.test === 'opioid-urine-screen'
      && inView(new Date(l.effective).getTime(), new Date(l.effective).getTime())).forEach(l => {
    const positive = l.screen === 'positive';
    chart.append(svg('circle', { cx: x(new Date(l.effective).getTime()), cy: y(2) + 23, r: 7,
      fill: positive ? '#CC79A7' : '#ffffff', stroke: '#CC79A7', 'stroke-width': 2,
      'data-kind': positive ? 'screen-positive' : 'screen-negative' },
      `Opioid urine screen ${date(l.effective)}: ${l.screen || 'result not coded'}`));
  });
  const liverY = multiple => y(3) + rowHeight - 6 - Math.min(multiple, 8) / 8 * (rowHeight - 12);
  [3, 5].forEach(limit => chart.append(svg('line', { x1: left, x2: width - right, y1: liverY(limit), y2: liverY(limit),
    stroke: limit === 5 ? '#D55E00' : '#E69F00', 'stroke-dasharray': '4 3' }, `${limit}x ULN`)));
  t.labs.filter(l => l.counts && (l.test === 'alt' || l.test === 'ast') && l.value != null
      && inView(new Date(l.effective).getTime(), new Date(l.effective).getTime())).forEach(l => {
    const uln = l.upperLimit || 40;
    const multiple = l.value / uln;
    chart.append(svg(l.test === 'alt' ? 'circle' : 'rect', l.test === 'alt'
      ? { cx: x(new Date(l.effective).getTime()), cy: liverY(multiple), r: 4, fill: '#0072B2', 'data-kind': 'liver' }
      : { x: x(new Date(l.effective).getTime()) - 4, y: liverY(multiple) - 4, width: 8, height: 8, fill: '#56B4E9',
        'data-kind': 'liver' },
      `${l.test.toUpperCase()} ${l.value} ${l.unit || ''} on ${date(l.effective)}: ${multiple.toFixed(1)}x ULN`));
  });
  if (t.inductionWindow && inView(new Date(t.inductionWindow.lastOpioidExposure).getTime(),
      new Date(t.inductionWindow.closesAt).getTime())) {
    const start = new Date(t.inductionWindow.lastOpioidExposure).getTime();
    const end = new Date(t.inductionWindow.closesAt).getTime();
    chart.append(svg('rect', { x: x(start), y: y(4) + 12, width: Math.max(2, x(end) - x(start)), height: 20,
      fill: 'url(#window)', stroke: '#E69F00', 'data-kind': 'induction-window' },
      `Opioid-free window: last exposure ${date(start)}, closes ${date(end)}`));
  }
  chart.append(svg('line', { x1: x(asOf), x2: x(asOf), y1: top - 10, y2: height - 25, stroke: '#1b1b1b',
    'stroke-dasharray': '6 4', 'data-kind': 'today' }, `Today ${date(asOf)}`));

  const defs = svg('defs', {});
  defs.innerHTML = '<pattern id="waning" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    + '<rect width="3" height="6" fill="#56B4E9"/></pattern>'
    + '<pattern id="window" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">'
    + '<rect width="3" height="6" fill="#E69F00"/></pattern>';
  chart.prepend(defs);
  document.getElementById('timeline').replaceChildren(chart);
}

// ---- CDS ------------------------------------------------------------------------------------------------------
function cds(serviceId, hook, patientId, draft) {
  const context = { userId: 'Practitioner/web-page', patientId };
  if (draft) context.draftOrders = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: draft }] };
  // The page's own entry to the CDS services: same services, authorized by the user's token (see README).
  return getJson(`/api/cds-services/${serviceId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ hook, hookInstance: crypto.randomUUID(), context })
  });
}

function showCards(container, cards, emptyMessage) {
  container.replaceChildren();
  if (!cards || cards.length === 0) {
    container.append(text('p', emptyMessage));
    return;
  }
  cards.forEach(card => {
    const element = document.createElement('article');
    element.className = `card ${card.indicator}`;
    element.dataset.topic = card.source.topic.code;
    const heading = document.createElement('h4');
    heading.append(text('span', card.indicator, 'badge'), document.createTextNode(card.summary));
    element.append(heading, text('p', `Topic: ${card.source.topic.code} · Source: ${card.source.label}`, 'summary'));
    const detail = document.createElement('div');
    detail.className = 'detail';
    renderMarkdown(card.detail || '', detail);
    element.append(detail);
    if (card.suggestions && card.suggestions.length) {
      element.append(text('strong', 'Suggestions'));
      const list = document.createElement('ul');
      card.suggestions.forEach(s => list.append(text('li', `${s.label}: ${(s.actions || [])
        .map(a => a.description).join('; ')}`)));
      element.append(list);
    }
    if (card.overrideReasons && card.overrideReasons.length) {
      element.append(text('strong', 'Override reasons'));
      const list = document.createElement('ul');
      card.overrideReasons.forEach(r => list.append(text('li', r.display || r.code)));
      element.append(list);
    }
    container.append(element);
  });
}

// The card detail is CDS Hooks markdown; only paragraphs, bullets and **bold** are used, rendered as text nodes.
function renderMarkdown(markdown, target) {
  let list = null;
  markdown.split('\n').forEach(line => {
    if (line.startsWith('- ')) {
      if (!list) { list = document.createElement('ul'); target.append(list); }
      list.append(inline('li', line.slice(2)));
    } else if (line.trim()) {
      list = null;
      target.append(inline('p', line));
    } else {
      list = null;
    }
  });
}

function inline(tag, line) {
  const element = document.createElement(tag);
  line.split(/(\*\*[^*]+\*\*|\[[^\]]+\]\(https?:[^)\s]+\))/).forEach(part => {
    const link = /^\[([^\]]+)\]\((https?:[^)\s]+)\)$/.exec(part);
    if (link) {
      const a = text('a', link[1]);
      a.href = link[2];
      element.append(a);
    } else {
      element.append(part.startsWith('**') ? text('strong', part.slice(2, -2)) : document.createTextNode(part));
    }
  });
  return element;
}

document.getElementById('order-form').addEventListener('submit', async e => {
  e.preventDefault();
  const patientId = document.getElementById('order-patient').value.trim();
  const select = document.getElementById('order-medication');
  const draft = {
    resourceType: 'MedicationRequest', id: 'web-draft-1', status: 'draft', intent: 'order',
    subject: { reference: `Patient/${patientId}` }, authoredOn: new Date().toISOString().slice(0, 10),
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: select.value,
      display: select.options[select.selectedIndex].text }] }
  };
  const container = document.getElementById('order-cards');
  container.replaceChildren(text('p', 'Asking the order-sign service…'));
  try {
    const response = await cds('naltrexone-order-sign', 'order-sign', patientId, draft);
    showCards(container, response.cards, 'No cards: nothing to warn about for this order.');
  } catch (error) {
    container.replaceChildren(text('p', `The CDS service failed: ${error.message}`));
  }
});

// ---- opened for one patient: a SMART launch from the EHR (smart-launch.js), or a card's plain link ?patient= ---
(window.ntxLaunch || Promise.resolve(null)).then(async launch => {
  const patientId = launch ? launch.patient : new URLSearchParams(location.search).get('patient');
  if (!patientId) return;
  if (launch) {
    // The token is bound to this patient: no search, no sign-in form, nobody else.
    document.getElementById('patient-search').style.display = 'none';
    accessForm.style.display = 'none';
    document.body.dataset.launchPatient = patientId;
  }
  loadPatient(await getJson(`/fhir/Patient/${encodeURIComponent(patientId)}`));
}).catch(error => {
  document.getElementById('patient-results').replaceChildren(text('li', `Could not open the patient: ${error.message}`));
});

// ---- research -------------------------------------------------------------------------------------------------
const today = new Date();
document.getElementById('research-end').value = today.toISOString().slice(0, 10);
document.getElementById('research-start').value = new Date(today.getTime() - 365 * DAY).toISOString().slice(0, 10);

document.getElementById('research-form').addEventListener('submit', async e => {
  e.preventDefault();
  const start = document.getElementById('research-start').value;
  const end = document.getElementById('research-end').value;
  const summary = document.getElementById('research-summary');
  summary.textContent = 'Computing…';
  try {
    const report = await getJson(`/fhir/$naltrexone-outcomes?start=${start}&end=${end}`);
    ntx.report = report;
    drawResearch(report);
    const cohort = population(group(report, 'retention-30'), 'initial-population');
    summary.textContent = `${cohort} ${cohort === 1 ? 'patient' : 'patients'} started naltrexone between ${start} and ${end}.`;
  } catch (error) {
    summary.textContent = `Could not compute outcomes: ${error.message}`;
    return;
  }
  try {
    const survival = await getJson(`/fhir/$naltrexone-survival?start=${start}&end=${end}`);
    ntx.survival = survival;
    drawSurvival(survival);
  } catch (error) {
    document.getElementById('km-text').textContent = `Could not compute the survival analyses: ${error.message}`;
  }
});

const group = (report, code) => report.group.find(g => g.code.coding[0].code === code);
const population = (g, code) => ((g && g.population) || []).find(p => p.code.coding[0].code === code)?.count ?? 0;
// A mean (oral PDC) has a denominator and a score but no numerator: show a dash, not a made-up 0.
const populationText = (g, code) => ((g && g.population) || []).some(p => p.code.coding[0].code === code)
  ? String(population(g, code)) : '–';
function stratum(g, dimension, value) {
  const stratifier = (g.stratifier || []).find(s => s.code[0].text === dimension);
  return stratifier && stratifier.stratum.find(s => s.value.text === value);
}
const share = s => {
  if (!s) return null;
  const d = population(s, 'denominator');
  return d ? 100 * population(s, 'numerator') / d : null;
};

function replaceChart(id, config) {
  if (ntx.charts[id]) ntx.charts[id].destroy();
  ntx.charts[id] = new Chart(document.getElementById(id), config);
}

// ---- Kaplan-Meier curves from $naltrexone-survival (Parameters: analysis > curve > step / atRisk; logRank) ---------
const part = (p, name) => ((p && p.part) || []).find(x => x.name === name);
const parts = (p, name) => ((p && p.part) || []).filter(x => x.name === name);
const value = (p, name) => {
  const x = part(p, name);
  if (!x) return null;
  return x.valueDecimal ?? x.valueInteger ?? x.valueCode ?? x.valueString ?? null;
};
// Okabe-Ito colours (colour-blind safe), with a dash pattern each so the curves differ in grey too.
const KM_STYLE = { injection: { colour: '#0072B2', band: 'rgba(0, 114, 178, 0.18)', dash: [] },
  oral: { colour: '#E69F00', band: 'rgba(230, 159, 0, 0.22)', dash: [6, 4] } };
const percent = x => x === null || x === undefined ? 'NA' : `${(100 * x).toFixed(1)}%`;
const days = x => x === null || x === undefined ? 'not reached' : `${x} days`;

/** The retention analysis by formulation: step curves, 95% bands, censoring ticks, numbers at risk, text. */
function drawSurvival(survival) {
  const analysis = (survival.parameter || []).find(p => p.name === 'analysis' && value(p, 'name') === 'retention');
  const curves = parts(analysis, 'curve').filter(c => value(c, 'stratifier') === 'formulation');
  ntx.km = {};
  const datasets = [];
  for (const name of ['injection', 'oral']) {
    const c = curves.find(x => value(x, 'stratum') === name);
    if (!c) continue;
    const steps = parts(c, 'step').map(s => ({ t: value(s, 'time'), s: value(s, 'survival'), lo: value(s, 'lower'),
      hi: value(s, 'upper'), censored: value(s, 'censored') }));
    const km = {
      curve: [{ x: 0, y: 100 }, ...steps.map(s => ({ x: s.t, y: 100 * s.s }))],
      lower: [{ x: 0, y: 100 }, ...steps.filter(s => s.lo !== null).map(s => ({ x: s.t, y: 100 * s.lo }))],
      upper: [{ x: 0, y: 100 }, ...steps.filter(s => s.hi !== null).map(s => ({ x: s.t, y: 100 * s.hi }))],
      censored: steps.filter(s => s.censored > 0).map(s => ({ x: s.t, y: 100 * s.s })),
      patients: value(c, 'patients'), events: value(c, 'events'), median: value(c, 'median'),
      medianLower: value(c, 'medianLower'), medianUpper: value(c, 'medianUpper'),
      atRisk: parts(c, 'atRisk').map(r => ({ day: value(r, 'day'), atRisk: value(r, 'atRisk'),
        survival: value(r, 'survival') }))
    };
    ntx.km[name] = km;
    const style = KM_STYLE[name];
    const label = name === 'injection' ? 'Injection' : 'Oral';
    datasets.push(
      { label: `${label} 95% CI`, data: km.lower, stepped: true, pointRadius: 0, borderWidth: 0, fill: false,
        band: true },
      { label: `${label} 95% CI`, data: km.upper, stepped: true, pointRadius: 0, borderWidth: 0, fill: '-1',
        backgroundColor: style.band, band: true },
      { label, data: km.curve, stepped: true, pointRadius: 0, borderColor: style.colour,
        backgroundColor: style.colour, borderDash: style.dash, borderWidth: 2 },
      { label: `${label} censored`, type: 'scatter', data: km.censored, pointStyle: 'line', rotation: 90,
        radius: 5, borderColor: style.colour, backgroundColor: style.colour, band: true });
  }
  replaceChart('chart-km', {
    type: 'line',
    data: { datasets },
    options: { parsing: false, animation: false,
      plugins: { title: { display: true, text: 'Kaplan-Meier retention (95% CI, | censored)' },
        legend: { labels: { filter: item => !datasets[item.datasetIndex].band } } },
      scales: { y: { min: 0, max: 100, title: { display: true, text: '% still in treatment' } },
        x: { type: 'linear', min: 0, title: { display: true, text: 'days since start' } } } }
  });

  const table = document.getElementById('km-at-risk');
  table.replaceChildren();
  const head = document.createElement('tr');
  head.append(text('th', 'At risk'), text('th', 'day 0'));
  const times = (Object.values(ntx.km)[0] || { atRisk: [] }).atRisk.map(r => r.day);
  times.forEach(t => head.append(text('th', `day ${t}`)));
  table.append(head);
  for (const [name, km] of Object.entries(ntx.km)) {
    const row = document.createElement('tr');
    row.append(text('th', name === 'injection' ? 'Injection' : 'Oral'), text('td', String(km.patients)));
    km.atRisk.forEach(r => row.append(text('td', String(r.atRisk))));
    table.append(row);
  }

  const test = parts(analysis, 'logRank').find(l => value(l, 'stratifier') === 'formulation');
  const sentences = Object.entries(ntx.km).map(([name, km]) => `${name === 'injection' ? 'Injection' : 'Oral'}: `
    + `${km.patients} patients, ${km.events} discontinued, median retention ${days(km.median)}`
    + ` (95% CI ${days(km.medianLower)} to ${days(km.medianUpper)}); still in treatment `
    + km.atRisk.map(r => `at day ${r.day} ${percent(r.survival)}`).join(', ') + '.');
  if (test && value(test, 'pValue') !== null) {
    sentences.push(`Log-rank test, oral vs injection: chi-square ${Number(value(test, 'chiSquare')).toFixed(2)}, `
      + `${value(test, 'degreesOfFreedom')} df, p = ${Number(value(test, 'pValue')).toFixed(3)}.`);
  }
  document.getElementById('km-text').textContent = sentences.length
    ? `Kaplan-Meier retention by formulation. ${sentences.join(' ')}` : 'No patients to estimate retention for.';
}

function drawResearch(report) {
  // Retention on every day of follow-up, as the server computes it (group retention-curve: one stratifier per
  // formulation, one stratum per day), drawn as a step curve.
  const curveGroup = group(report, 'retention-curve');
  const curve = formulation => {
    const stratifier = ((curveGroup && curveGroup.stratifier) || []).find(s => s.code[0].text === formulation);
    return ((stratifier && stratifier.stratum) || []).filter(s => population(s, 'denominator') > 0)
      .map(s => ({ x: Number(s.value.text), y: 100 * population(s, 'numerator') / population(s, 'denominator') }));
  };
  ntx.retention = { injection: curve('injection'), oral: curve('oral') };
  replaceChart('chart-retention', {
    type: 'line',
    data: { datasets: [
      { label: 'Injection', data: ntx.retention.injection, borderColor: '#0072B2', backgroundColor: '#0072B2',
        stepped: true, pointRadius: 0 },
      { label: 'Oral', data: ntx.retention.oral, borderColor: '#E69F00', backgroundColor: '#E69F00', stepped: true,
        pointRadius: 0, borderDash: [6, 4] }] },
    options: { parsing: false, scales: { y: { min: 0, max: 100, title: { display: true, text: '% retained' } },
      x: { type: 'linear', min: 0, title: { display: true, text: 'days since start' } } } }
  });
  const histogram = (group(report, 'injection-interval-days').stratifier[0].stratum) || [];
  replaceChart('chart-intervals', {
    type: 'bar',
    data: { labels: histogram.map(s => s.value.text), datasets: [{ label: 'Injection intervals',
      data: histogram.map(s => population(s, 'numerator')), backgroundColor: histogram.map(s =>
        ['<=28', '29-35'].includes(s.value.text) ? '#0072B2' : '#D55E00') }] },
    options: { scales: { x: { title: { display: true, text: 'days between injections (blue: on time)' } } } }
  });
  const liver = group(report, 'liver-elevation');
  replaceChart('chart-liver', {
    type: 'bar',
    data: { labels: ['All', 'Injection', 'Oral'], datasets: [{ label: '% with ALT/AST > 3x ULN',
      data: [share(liver), share(stratum(liver, 'formulation', 'injection')), share(stratum(liver, 'formulation', 'oral'))],
      backgroundColor: ['#5a5a5a', '#0072B2', '#E69F00'] }] },
    options: { scales: { y: { min: 0, title: { display: true, text: '%' } } } }
  });
  const cardGroups = report.group.filter(g => g.code.coding[0].code.startsWith('cds-card-overridden:'));
  const outcome = (g, name) => population(stratum(g, 'outcome', name), 'numerator');
  replaceChart('chart-cards', {
    type: 'bar',
    data: { labels: cardGroups.map(g => g.code.coding[0].code.split(':')[1]), datasets: [
      { label: 'Accepted', data: cardGroups.map(g => outcome(g, 'accepted')), backgroundColor: '#009E73' },
      { label: 'Overridden', data: cardGroups.map(g => outcome(g, 'overridden')), backgroundColor: '#D55E00' },
      { label: 'No feedback', data: cardGroups.map(g => population(g, 'initial-population')
          - population(g, 'denominator')), backgroundColor: '#c8c8c8' }] },
    options: { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'cards shown' } } } }
  });
  const table = document.getElementById('research-table');
  table.replaceChildren();
  const head = document.createElement('tr');
  ['Measure', 'Numerator', 'Denominator', 'Score'].forEach(h => head.append(text('th', h)));
  table.append(head);
  report.group.filter(g => g.population && g.population.some(p => p.code.coding[0].code === 'denominator'))
    .forEach(g => {
      const row = document.createElement('tr');
      row.append(text('td', g.code.text || g.code.coding[0].code), text('td', populationText(g, 'numerator')),
        text('td', populationText(g, 'denominator')),
        text('td', g.measureScore ? Number(g.measureScore.value).toFixed(3) : '–'));
      table.append(row);
    });
}
