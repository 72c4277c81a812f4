// The exit poll interviewer's service worker: an entry the page POSTs to /api/exitpoll/ goes
// to the network; when there is none, it is queued in IndexedDB (a database of its own) and
// sent once the connection is back (the shared offline queue, ../offline-queue.js).

import { serveOfflineQueue } from '../offline-queue.js';

serveOfflineQueue({ prefix: '/api/exitpoll/entries', db: 'saylau-exitpoll', tag: 'exitpoll-queue' });
