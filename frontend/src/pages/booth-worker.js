// The booth's Web Worker: encrypts and opens ballots off the page's thread, so the page never
// freezes. The messages are booth-jobs.js's.
import { runJob } from '../booth-jobs.js';

self.onmessage = (event) => runJob(event.data, (message) => self.postMessage(message));
