// The offline queue shared by the phone pages that send to the API while the connection
// comes and goes (the observer's reports, the exit poll interviewer's entries).
//
// In the service worker, `serveOfflineQueue({ prefix, db, tag })` sends each POST under
// `prefix` to the network; when there is none, or the server says it is busy (429, 5xx:
// nothing stored), it keeps the request in IndexedDB (database `db`, one record per
// request, in order) and answers 202 {"queued": true}. The queue is
// sent, in order, when the page says the connection is back ("flush"), on Background Sync
// (`tag`), and before any later request. `key` (the X-Queue-Key header: the request's
// client UUID) is unique in the queue, so a request queued twice is kept once, and the
// server, keyed by the same UUID, stores it once.
//
// In the page, `connectOfflineQueue({ worker, scope, onMessage })` registers the worker,
// waits until it controls the page, passes its messages on ({pending: n} and
// {sent: key, status, answer}) and asks it to flush whenever the browser is back online,
// and every few seconds while something waits.

const STORE = 'queue';
/** While something waits in the queue, the page asks for a flush this often (ms). */
const RETRY_MS = 5000;
const KEPT_HEADERS = ['content-type', 'x-csrftoken', 'x-queue-key', 'accept-language'];

/** The server said to wait (too many requests, busy, down): it stored nothing. */
function busy(response) {
  return response.status === 429 || response.status >= 500;
}

/** The IndexedDB queue of database `name`: put / all / remove / count. */
export function openQueue(name) {
  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
        store.createIndex('key', 'key', { unique: true });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(result.result); };
      tx.onerror = () => { db.close(); reject(tx.error); };
      tx.onabort = () => { db.close(); reject(tx.error); };
    });
  }

  return {
    /** Queue `item` ({key, url, headers, body}); a second item with the same key is dropped. */
    async put(item) {
      try {
        await run('readwrite', (store) => store.add(item));
      } catch (error) {
        if (error && error.name !== 'ConstraintError') throw error;
      }
    },
    all: () => run('readonly', (store) => store.getAll()),
    remove: (seq) => run('readwrite', (store) => store.delete(seq)),
    count: () => run('readonly', (store) => store.count()),
  };
}

/** Install the service worker's handlers for the POSTs under `prefix` (see the top). */
export function serveOfflineQueue({ prefix, db, tag }) {
  const queue = openQueue(db);
  let flushing = null;

  self.addEventListener('install', () => self.skipWaiting());
  self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
  self.addEventListener('fetch', (event) => {
    const url = new URL(event.request.url);
    if (event.request.method === 'POST' && url.pathname.startsWith(prefix)) {
      event.respondWith(sendOrQueue(event.request));
    }
  });
  self.addEventListener('message', (event) => {
    if (event.data === 'flush') event.waitUntil(flush());
  });
  self.addEventListener('sync', (event) => {
    if (event.tag === tag) event.waitUntil(flush());
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
    if ((await queue.count()) > 0) await flush();
    if ((await queue.count()) === 0) {
      try {
        const response = await fetch(request);
        if (!busy(response)) return response;
        // the server is busy (429, 5xx: nothing was stored): queued below, as offline
      } catch {
        // no connection: queued below
      }
    }
    await queue.put(item);
    if (self.registration.sync) self.registration.sync.register(tag).catch(() => {});
    await tell({ pending: await queue.count() });
    return queued();
  }

  /** Send the queue in order; stop at the first that cannot reach the server (or is told to
   * wait: 429, 5xx). Any other answer takes the item off the queue: the server has it. */
  function flush() {
    if (!flushing) {
      flushing = (async () => {
        for (const item of await queue.all()) {
          let response;
          try {
            response = await fetch(item.url, {
              method: 'POST', headers: item.headers, body: item.body, credentials: 'same-origin',
            });
          } catch {
            break;
          }
          if (busy(response)) break;
          let answer = {};
          try { answer = await response.json(); } catch { /* not JSON */ }
          await queue.remove(item.seq);
          await tell({ sent: item.key, status: response.status, answer });
        }
        await tell({ pending: await queue.count() });
      })().finally(() => { flushing = null; });
    }
    return flushing;
  }

  async function tell(message) {
    for (const client of await self.clients.matchAll({ includeUncontrolled: true })) {
      client.postMessage(message);
    }
  }
}

/** In the page: register `worker` for `scope`, wait until it controls the page, hand its
 * messages to `onMessage`, and flush the queue now and whenever the browser is back online.
 * False when the browser has no service workers. */
export async function connectOfflineQueue({ worker, scope, onMessage }) {
  if (!('serviceWorker' in navigator)) return false;
  await navigator.serviceWorker.register(worker, { scope });
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => {
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true });
    });
  }
  let pending = 0;
  navigator.serviceWorker.addEventListener('message', (event) => {
    const message = event.data || {};
    if ('pending' in message) pending = message.pending;
    onMessage(message);
  });
  const flush = () => navigator.serviceWorker.controller?.postMessage('flush');
  window.addEventListener('online', flush);
  setInterval(() => { if (pending > 0 && navigator.onLine) flush(); }, RETRY_MS);
  flush();
  return true;
}
