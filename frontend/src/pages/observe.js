// The observer's station page: each form becomes a report with a new client UUID, sent to
// /api/observation/submissions through the service worker (observe-sw.js), which queues it
// while there is no connection (the shared offline queue, ../offline-queue.js). Photos
// follow their report, keyed by its UUID.

import { connectOfflineQueue } from '../offline-queue.js';

const root = document.getElementById('observe');
const status = document.getElementById('status');
const pending = document.getElementById('pending');
const text = root.dataset;

function say(message) {
  status.textContent = message;
}

function payloadOf(form) {
  const data = new FormData(form);
  const kind = form.dataset.kind;
  if (kind === 'incident') {
    return { category: data.get('category'), description: data.get('description') };
  }
  if (kind === 'checklist') {
    const answers = {};
    for (const input of form.querySelectorAll('input[type=radio]:checked')) {
      answers[input.name] = input.value;
    }
    return { phase: form.dataset.phase, answers, note: data.get('note') || '' };
  }
  if (kind === 'protocol_copy') {
    const counts = {};
    const options = {};
    for (const input of form.querySelectorAll('input[inputmode=numeric]')) {
      const [part, name] = input.name.split(/\.(.*)/s);
      const value = /^\d+$/.test(input.value.trim()) ? Number(input.value.trim()) : input.value;
      (part === 'counts' ? counts : options)[name] = value;
    }
    return { contest: form.dataset.contest, counts, options };
  }
  return {};
}

function headers(key, json) {
  const out = { 'X-CSRFToken': text.csrf, 'X-Queue-Key': key };
  if (json) out['Content-Type'] = 'application/json';
  return out;
}

async function answerOf(response) {
  try {
    return await response.json();
  } catch {
    return {};
  }
}

async function send(form) {
  const clientUuid = crypto.randomUUID();
  const body = {
    client_uuid: clientUuid,
    kind: form.dataset.kind,
    station: text.station,
    occurred_at: new Date().toISOString(),
    payload: payloadOf(form),
  };
  const response = await fetch(text.api, {
    method: 'POST', headers: headers(clientUuid, true), body: JSON.stringify(body),
  });
  const answer = await answerOf(response);
  const files = form.querySelector('input[type=file]')?.files ?? [];
  if (response.status === 202 || response.ok) {
    let n = 0;
    for (const file of files) {
      const data = new FormData();
      data.append('file', file);
      await fetch(`${text.api}/${clientUuid}/media`, {
        method: 'POST', headers: headers(`${clientUuid}:media:${n++}`, false), body: data,
      });
    }
    form.reset();
  }
  if (response.status === 202 && answer.queued) say(text.textQueued);
  else if (response.ok) say(text.textSent);
  else say(`${text.textFailed} ${answer.error?.message ?? response.status}`);
}

function showPending(n) {
  pending.hidden = !n;
  pending.textContent = n ? `${text.textPending} ${n}` : '';
}

async function start() {
  const connected = await connectOfflineQueue({
    worker: text.worker,
    scope: text.scope,
    onMessage(message) {
      if ('pending' in message) showPending(message.pending);
      if (message.sent) {
        if (message.status < 300) say(text.textSent);
        else say(`${text.textFailed} ${message.answer?.error?.message ?? message.status}`);
      }
    },
  });
  if (!connected) {
    say(text.textNojs);
    return;
  }
  for (const form of root.querySelectorAll('form[data-kind]')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      send(form).catch((error) => say(`${text.textFailed} ${error}`));
    });
  }
  root.dataset.ready = 'true';
}

start();
