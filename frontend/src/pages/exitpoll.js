// The interviewer's station page: each respondent's answer, refusal or non-contact becomes an
// entry with a new client UUID, sent to /api/exitpoll/entries through the service worker
// (exitpoll-sw.js), which queues it while there is no connection (../offline-queue.js).

import { queuedPage } from '../queued-forms.js';

const { root, text, say, start } = queuedPage('exitpoll');

function bump(kind) {
  const counter = root.querySelector(`[data-count="${kind}"]`);
  if (counter) counter.textContent = String(Number(counter.textContent) + 1);
}

async function answerOf(response) {
  try {
    return await response.json();
  } catch {
    return {};
  }
}

async function send(form) {
  const kind = form.dataset.kind;
  const option = kind === 'answer' ? form.querySelector('input[name=option]:checked')?.value : '';
  if (option === undefined) {
    say(text.textChoose);
    return;
  }
  const clientUuid = crypto.randomUUID();
  const body = {
    client_uuid: clientUuid,
    poll: text.poll,
    station: text.station,
    kind,
    option,
    occurred_at: new Date().toISOString(),
  };
  const response = await fetch(text.api, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': text.csrf, 'X-Queue-Key': clientUuid },
    body: JSON.stringify(body),
  });
  const answer = await answerOf(response);
  if (response.status === 202 && answer.queued) {
    say(text.textQueued);
  } else if (response.ok) {
    say(text.textSent);
  } else {
    say(`${text.textFailed} ${answer.error?.message ?? response.status}`);
    return;
  }
  bump(kind);
  form.reset();
}

start(send);
