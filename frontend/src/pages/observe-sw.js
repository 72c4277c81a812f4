// The observer pages' service worker: a report the page POSTs to /api/observation/ goes to the
// network; when there is none, it is queued in IndexedDB (observe/queue.js) and the page is
// told so (202 {"queued": true}). The queue is sent, in order, when the page says the
// connection is back ("flush"), on Background Sync, and before any later report.

import { all, count, put, remove } from '../observe/queue.js';

const PREFIX = '/api/observation/submissions';
const KEPT_HEADERS = ['content-type', 'x-csrftoken', 'x-queue-key', 'accept-language'];
let flushing = null;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method === 'POST' && url.pathname.startsWith(PREFIX)) {
    event.respondWith(sendOrQueue(event.request));
  }
});

self.addEventListener('message', (event) => {
  if (event.data === 'flush') event.waitUntil(flush());
});

self.addEventListener('sync', (event) => {
  if (event.tag === 'observe-queue') event.waitUntil(flush());
});

function queued() {
  return new Response(JSON.stringify({ queued: true }), {
    status: 202,
    headers: { 'Content-Type': 'application/json' },
  });
}

async function record(request) {
  const headers = {};
  for (const name of KEPT_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  const key = headers['x-queue-key'] || crypto.randomUUID();
  return { key, url: request.url, headers, body: await request.clone().arrayBuffer() };
}

async function sendOrQueue(request) {
  const item = await record(request);
  if ((await count()) > 0) await flush();
  if ((await count()) === 0) {
    try {
      return await fetch(request);
    } catch {
      // no connection: queued below
    }
  }
  await put(item);
  if (self.registration.sync) self.registration.sync.register('observe-queue').catch(() => {});
  await tell({ pending: await count() });
  return queued();
}

/** Send the queue in order; stop at the first that cannot reach the server (or is told to
 * wait: 429, 5xx). Any other answer takes the item off the queue: the server has it. */
function flush() {
  if (!flushing) {
    flushing = (async () => {
      for (const item of await all()) {
        let response;
        try {
          response = await fetch(item.url, {
            method: 'POST', headers: item.headers, body: item.body, credentials: 'same-origin',
          });
        } catch {
          break;
        }
        if (response.status === 429 || response.status >= 500) break;
        let answer = {};
        try { answer = await response.json(); } catch { /* not JSON */ }
        await remove(item.seq);
        await tell({ sent: item.key, status: response.status, answer });
      }
      await tell({ pending: await count() });
    })().finally(() => { flushing = null; });
  }
  return flushing;
}

async function tell(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) {
    client.postMessage(message);
  }
}
