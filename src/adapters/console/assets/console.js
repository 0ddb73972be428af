/*
 * The local console in the browser: pick a seat, see its cards live (Server-Sent Events from
 * /console/events), rendered by Microsoft's Adaptive Cards renderer (the `AdaptiveCards` global of the
 * package's browser bundle); type the words of `/crm` (Enter sends); click the cards' buttons. Everything
 * the person does is posted as JSON to /console/command or /console/action; what the bot answers arrives
 * as cards on the event stream.
 */
/* global AdaptiveCards */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const form = $('console-form');
  const person = $('person');
  const command = $('command');
  const send = $('send');
  const messages = $('messages');
  const hint = $('hint');
  const errorBox = $('error');
  const pictures = $('pictures');
  const pictureList = $('picture-list');
  let picturesTimer;
  let picturesRound = 0;
  const ST_CHANNEL = 'st-channel';
  let stream;
  let seatLocale = 'es';

  const hostConfig = new AdaptiveCards.HostConfig({
    fontFamily: '"Segoe UI", system-ui, -apple-system, sans-serif',
    supportsInteractivity: true,
    actions: { actionsOrientation: 'horizontal', actionAlignment: 'left', buttonSpacing: 8, maxActions: 6, showCard: { actionMode: 'inline' } },
  });

  const clickId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + '-' + Math.random().toString(16).slice(2));

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  async function post(path, body) {
    showError('');
    let res;
    try {
      res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (e) {
      showError('No hay conexión con el bot. / No connection to the bot.');
      return false;
    }
    if (res.ok) return true;
    let message = 'Error ' + res.status;
    try {
      const j = await res.json();
      if (j && typeof j.message === 'string') message = j.message;
    } catch (e) {
      /* not JSON */
    }
    showError(message);
    return false;
  }

  function formatTime(iso) {
    try {
      return new Date(iso).toLocaleString(seatLocale === 'en' ? 'en-GB' : 'es-CR', { dateStyle: 'short', timeStyle: 'short' });
    } catch (e) {
      return iso;
    }
  }

  function renderEntry(entry) {
    const el = document.createElement('article');
    el.className = 'entry ' + (entry.from === 'you' ? 'you' : 'bot');
    el.dataset.id = entry.id;
    el.dataset.version = String(entry.version);
    el.dataset.from = entry.from;
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = (entry.from === 'you' ? (seatLocale === 'en' ? 'You' : 'Usted') : 'CRM bot') + ' · ' + formatTime(entry.at);
    el.appendChild(meta);
    const holder = document.createElement('div');
    holder.className = 'card';
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.onExecuteAction = (action) => {
      const verb = action.verb;
      if (typeof verb !== 'string') return;
      const data = action.data && typeof action.data === 'object' ? action.data : {};
      el.classList.add('busy');
      post('/console/action', { person: person.value, card: entry.id, verb, data, click: clickId() }).finally(() => el.classList.remove('busy'));
    };
    try {
      card.parse(entry.card);
      const rendered = card.render();
      if (rendered) holder.appendChild(rendered);
    } catch (e) {
      holder.textContent = (entry.card && entry.card.fallbackText) || '';
    }
    el.appendChild(holder);
    return el;
  }

  // The seat's status pictures (GET /console/pictures): one figure per consultation, its two SVGs as
  // images (same origin: the page's CSP allows nothing else); fetched again shortly after a card arrives.
  async function loadPictures(seat) {
    const round = ++picturesRound;
    let list = [];
    try {
      const res = await fetch('/console/pictures?person=' + encodeURIComponent(seat));
      if (res.ok) list = (await res.json()).pictures || [];
    } catch (e) {
      list = [];
    }
    if (round !== picturesRound || messages.dataset.seat !== seat) return;
    const figures = list.map((p) => {
      const fig = document.createElement('figure');
      fig.className = 'picture';
      fig.dataset.reference = p.reference;
      for (const src of [p.status, p.timeline]) {
        const img = document.createElement('img');
        img.src = src + '&r=' + round;
        img.alt = p.reference + ' · ' + p.title;
        fig.appendChild(img);
      }
      return fig;
    });
    if (figures.length) pictureList.replaceChildren(...figures);
    else {
      const none = document.createElement('p');
      none.textContent = pictures.dataset.none || '';
      pictureList.replaceChildren(none);
    }
    pictures.hidden = false;
    pictures.dataset.ready = 'true';
  }

  function refreshPictures() {
    const seat = messages.dataset.seat;
    if (!seat) return;
    clearTimeout(picturesTimer);
    picturesTimer = setTimeout(() => loadPictures(seat), 300);
  }

  function upsert(entry) {
    refreshPictures();
    const el = renderEntry(entry);
    const old = messages.querySelector('[data-id="' + CSS.escape(entry.id) + '"]');
    if (old) old.replaceWith(el);
    else {
      messages.appendChild(el);
      el.scrollIntoView({ block: 'nearest' });
    }
  }

  function open(seat) {
    if (stream) stream.close();
    stream = undefined;
    messages.replaceChildren();
    messages.dataset.seat = seat;
    messages.dataset.ready = 'false';
    showError('');
    const url = new URL(location.href);
    if (seat) url.searchParams.set('person', seat);
    else url.searchParams.delete('person');
    history.replaceState(null, '', url);
    const opt = person.selectedOptions[0];
    seatLocale = (opt && opt.dataset.locale) || 'es';
    const canType = Boolean(seat) && seat !== ST_CHANNEL;
    command.disabled = !canType;
    send.disabled = !canType;
    hint.textContent = seat === ST_CHANNEL ? hint.dataset.channel : '';
    clearTimeout(picturesTimer);
    picturesRound++;
    pictureList.replaceChildren();
    pictures.hidden = true;
    pictures.dataset.ready = 'false';
    if (!seat) return;
    loadPictures(seat);
    stream = new EventSource('/console/events?person=' + encodeURIComponent(seat));
    stream.addEventListener('reset', (ev) => {
      const data = JSON.parse(ev.data);
      seatLocale = (data.reader && data.reader.locale) || seatLocale;
      messages.replaceChildren(...data.entries.map(renderEntry));
      messages.dataset.ready = 'true';
      const last = messages.lastElementChild;
      if (last) last.scrollIntoView({ block: 'nearest' });
    });
    stream.addEventListener('upsert', (ev) => upsert(JSON.parse(ev.data)));
    stream.addEventListener('remove', (ev) => {
      const { id } = JSON.parse(ev.data);
      const el = messages.querySelector('[data-id="' + CSS.escape(id) + '"]');
      if (el) el.remove();
    });
  }

  person.addEventListener('change', () => open(person.value));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = command.value.trim();
    if (!text || command.disabled) return;
    command.disabled = true;
    const ok = await post('/console/command', { person: person.value, command: text, click: clickId() });
    command.disabled = false;
    if (ok) command.value = '';
    command.focus();
  });

  const initial = new URL(location.href).searchParams.get('person');
  if (initial && [...person.options].some((o) => o.value === initial)) person.value = initial;
  open(person.value);
})();
