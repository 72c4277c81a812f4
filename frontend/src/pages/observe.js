// The observer's station page: each form becomes a report with a new client UUID, sent to
// /api/observation/submissions through the service worker (observe-sw.js), which queues it
// while there is no connection (the shared offline queue, ../offline-queue.js). Photos
// follow their report, keyed by its UUID.

import { queuedPage } from '../queued-forms.js';

const { text, say, start } = queuedPage('observe');

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

start(send);
