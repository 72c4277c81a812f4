// The observer's offline queue: IndexedDB, one record per request the service worker could
// not send, in the order they were made; `key` (the client UUID, or UUID:media:n) is unique,
// so a request queued twice is kept once and the server, keyed by the same UUID, stores it once.

const DB = 'saylau-observe';
const STORE = 'queue';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
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

/** Queue `item` ({key, url, headers, body}); a second item with the same key is dropped. */
export async function put(item) {
  try {
    await run('readwrite', (store) => store.add(item));
  } catch (error) {
    if (error && error.name !== 'ConstraintError') throw error;
  }
}

export function all() {
  return run('readonly', (store) => store.getAll());
}

export function remove(seq) {
  return run('readwrite', (store) => store.delete(seq));
}

export function count() {
  return run('readonly', (store) => store.count());
}
