// The booth worker's jobs, as a pure function of a message (so node runs them as the browser's
// Web Worker does; src/pages/booth-worker.js only wires it to postMessage).
//
//   in:  { op: 'encrypt', id, manifest, jointPublicKey, district, credentialCode, selections }
//   out: { id, progress: [done, total] } per option, then
//        { id, ok: true, ballot, trackingCode, opening, ms }   or   { id, ok: false, code, detail }
//        codes: credential.invalid (a mistyped credential code), selection.invalid,
//        encrypt.failed (anything else: a bad manifest or key, a bug)
//   in:  { op: 'open', id, manifest, jointPublicKey, ballot, opening }
//   out: { id, ok: true, marks }   or   { id, ok: false, code: opening.* | open.failed, detail }
//
// `detail` is technical English for a log or a bug report, never shown as the message: the
// page says what a code means in the voter's language.

import { canonicalJson, deriveCredential, electionContext } from './ballot-verify.js';
import { OpeningRejected, SelectionRejected, SystemRng, checkOpening, encryptBallot } from './ballot-encrypt.js';

let cached = null; // the last election context: a challenge re-encrypts under the same one

function contextFor(manifest, jointPublicKey) {
  const text = canonicalJson(manifest);
  if (cached?.text !== text || cached.key !== jointPublicKey) {
    cached = { text, key: jointPublicKey, ctx: electionContext(manifest, jointPublicKey) };
  }
  return cached.ctx;
}

const failed = (id, code, error) => ({ id, ok: false, code, detail: String(error?.message ?? error) });

function encrypt(msg, post, rng) {
  let ctx;
  try {
    ctx = contextFor(msg.manifest, msg.jointPublicKey);
  } catch (e) {
    return failed(msg.id, 'encrypt.failed', e);
  }
  let credential;
  try {
    credential = deriveCredential(msg.manifest.election_id, String(msg.credentialCode ?? ''));
  } catch (e) {
    return failed(msg.id, 'credential.invalid', e);
  }
  const t0 = performance.now();
  try {
    const progress = (done, total) => post({ id: msg.id, progress: [done, total] });
    const out = encryptBallot(ctx, msg.district, msg.selections ?? {}, credential, rng, progress);
    const ms = performance.now() - t0;
    return { id: msg.id, ok: true, ballot: out.raw, trackingCode: out.trackingCode, opening: out.opening, ms };
  } catch (e) {
    return failed(msg.id, e instanceof SelectionRejected ? 'selection.invalid' : 'encrypt.failed', e);
  }
}

function open(msg) {
  try {
    const ctx = contextFor(msg.manifest, msg.jointPublicKey);
    return { id: msg.id, ok: true, marks: checkOpening(ctx, msg.ballot, msg.opening) };
  } catch (e) {
    return failed(msg.id, e instanceof OpeningRejected ? e.code : 'open.failed', e);
  }
}

/** Run one job; `post` receives the progress messages and then the answer. `rng` is for tests
 * (a DeterministicRng); the booth uses the system's. */
export function runJob(msg, post, rng = new SystemRng()) {
  const id = msg?.id;
  let answer;
  if (msg?.op === 'encrypt') answer = encrypt(msg, post, rng);
  else if (msg?.op === 'open') answer = open(msg);
  else answer = failed(id, 'op.unknown', `unknown op ${JSON.stringify(msg?.op)}`);
  post(answer);
}
