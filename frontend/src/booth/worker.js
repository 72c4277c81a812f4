// The page's side of the booth's Web Worker (src/pages/booth-worker.js): one request at a time
// by id, progress reported as it comes.

export class BoothWorker {
  constructor(url) {
    this.worker = new Worker(url, { type: 'module' });
    this.next = 1;
    this.waiting = new Map();
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      for (const { resolve } of this.waiting.values()) resolve({ ok: false, code: 'worker.failed' });
      this.waiting.clear();
    };
  }

  receive(message) {
    const job = this.waiting.get(message?.id);
    if (!job) return;
    if (message.progress) {
      job.onProgress?.(...message.progress);
      return;
    }
    this.waiting.delete(message.id);
    job.resolve(message);
  }

  /** Run a job ({op, ...}); resolves with the worker's final message. */
  run(job, onProgress) {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve, onProgress });
      this.worker.postMessage({ ...job, id });
    });
  }
}
