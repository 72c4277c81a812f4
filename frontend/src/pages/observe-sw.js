// The observer pages' service worker: a report the page POSTs to /api/observation/ goes to the
// network; when there is none, it is queued in IndexedDB and sent once the connection is back
// (the shared offline queue, ../offline-queue.js).

import { serveOfflineQueue } from '../offline-queue.js';

serveOfflineQueue({ prefix: '/api/observation/submissions', db: 'saylau-observe', tag: 'observe-queue' });
