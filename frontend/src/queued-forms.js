// A phone page whose forms are sent through the offline queue (./offline-queue.js): the
// status line, the count still waiting, and each `form[data-kind]` handed to `send`. The
// observers' station page and the exit-poll interviewer's page share it.

import { connectOfflineQueue } from './offline-queue.js';

export function queuedPage(rootId) {
  const root = document.getElementById(rootId);
  const status = document.getElementById('status');
  const pending = document.getElementById('pending');
  const text = root.dataset;
  const say = (message) => {
    status.textContent = message;
  };
  const showPending = (n) => {
    pending.hidden = !n;
    pending.textContent = n ? `${text.textPending} ${n}` : '';
  };

  async function start(send) {
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

  return { root, text, say, start };
}
