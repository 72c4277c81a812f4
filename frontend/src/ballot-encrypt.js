// Encrypt, prove and sign a saylau ballot in JavaScript (browser or Node ≥ 20): a port of
// src/saylau/protocol/ballot.py encrypt_ballot and crypto/rand.py, pinned to the Python code by
// tests/vectors/ballot_encrypt.json. It draws the same scalars from the RNG in the same order
// as the Python code, so with the same DeterministicRng seed the ballot is the same, byte for
// byte. The election context, credentials, ballot styles and hashing are ballot-verify.js's.
//
//   import { electionContext, deriveCredential } from './ballot-verify.js';
//   import { encryptBallot, checkOpening, SystemRng } from './ballot-encrypt.js';
//   const ctx = electionContext(manifestJson, jointPublicKeyHex);
//   const credential = deriveCredential(manifestJson.election_id, typedCode);
//   const { raw, trackingCode, opening } =
//     encryptBallot(ctx, districtId, { contestId: [0, 1, 0] }, credential, new SystemRng());
//   checkOpening(ctx, raw, opening); // → { contestId: [0, 1, 0] } (a Benaloh challenge)
//
// `opening` holds each option's ElGamal randomness: whoever has it can read the ballot, so a
// ballot whose opening was shown must never be cast (the booth discards it).
//
// Speed: every scalar multiplication is by the generator G or the joint key K, both with
// precomputed tables. A fake branch of a disjunctive proof needs v·G − c·α and v·K − c·(β − j·G);
// the prover knows r (α = r·G, β = r·K + m·G), so it computes them as t·G and t·K − c(m − j)·G
// with t = v − c·r: the same group elements as the Python code's, hence the same encodings.

import { shake256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';
import { bytesToNumberLE, numberToBytesBE } from '@noble/curves/utils.js';
import { ristretto255 } from '@noble/curves/ed25519.js';
import {
  L,
  TAG_DISJUNCTIVE,
  TAG_SIGNATURE,
  BallotRejected,
  contestsFor,
  decodeElement,
  decodeScalar,
  equalBytes,
  hashToScalar,
  index,
  mulSecret,
  optionContext,
  parseBallot,
  rangeContext,
  scalarToHex,
  signedMessage,
  trackingCode,
  weightedTotal,
} from './ballot-verify.js';

const Point = ristretto255.Point;
const G = Point.BASE;
const TEXT = new TextEncoder();
const mod = (a) => ((a % L) + L) % L;

/** Window of the joint key's precomputed table (the generator's is noble's, 6). */
const KEY_WINDOW = 6;
const precomputed = new WeakSet();

// --- randomness (src/saylau/crypto/rand.py) ---------------------------------------------------

/** 64 bytes little-endian mod L, drawn again while zero: Rng.scalar() of rand.py. */
function scalarFrom(bytes) {
  for (;;) {
    const s = bytesToNumberLE(bytes(64)) % L;
    if (s !== 0n) return s;
  }
}

/** The browser's (or Node's) CSPRNG; what the booth uses. */
export class SystemRng {
  bytes(n) {
    return crypto.getRandomValues(new Uint8Array(n));
  }

  scalar() {
    return scalarFrom((n) => this.bytes(n));
  }
}

/** SHAKE-256(seed || counter, 8 bytes big-endian), the counter from 1: for tests and vectors
 * only, never for a real ballot. */
export class DeterministicRng {
  constructor(seed) {
    this.seed = typeof seed === 'string' ? TEXT.encode(seed) : Uint8Array.from(seed);
    this.counter = 0n;
  }

  bytes(n) {
    this.counter += 1n;
    return shake256(concatBytes(this.seed, numberToBytesBE(this.counter, 8)), { dkLen: n });
  }

  scalar() {
    return scalarFrom((n) => this.bytes(n));
  }
}

// --- errors -----------------------------------------------------------------------------------

export const SELECTION_CODES = Object.freeze(['selection.district', 'selection.missing', 'selection.marks', 'selection.total']);
export const OPENING_CODES = Object.freeze([
  'opening.ballot',
  'opening.election',
  'opening.shape',
  'opening.contests',
  'opening.marks',
  'opening.randomness',
  'opening.ciphertext',
]);

/** A selection breaks its contest's rule (or names no district): `code` is one of
 * selection.district, selection.missing, selection.marks, selection.total. */
export class SelectionRejected extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'SelectionRejected';
    this.code = code;
  }
}

/** An opening does not open the ballot: `code` is one of opening.ballot, opening.election,
 * opening.shape, opening.contests, opening.marks, opening.randomness, opening.ciphertext. */
export class OpeningRejected extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'OpeningRejected';
    this.code = code;
  }
}

// --- proofs (src/saylau/crypto/proofs.py prove_disjunctive, signatures.py sign) ----------------

/** The joint key's bytes, and its table built once per key point. */
function keyOf(ctx) {
  if (!precomputed.has(ctx.key)) {
    ctx.key.precompute(KEY_WINDOW);
    precomputed.add(ctx.key);
  }
  return ctx.key;
}

/**
 * Prove that (alpha, beta) = Enc_K(m; r) with m one of `values`; draws w, then (c_j, v_j) for
 * every other value, in order. `enc` holds the encodings of G, K, alpha and beta.
 */
function proveDisjunctive(K, enc, r, m, values, context, rng) {
  const real = values.indexOf(m);
  if (real < 0) throw new Error('the plaintext is not one of the allowed values');
  const cs = values.map(() => 0n);
  const vs = values.map(() => 0n);
  const commitments = [];
  const w = rng.scalar();
  values.forEach((value, j) => {
    if (j === real) {
      commitments.push(mulSecret(G, w).toBytes(), mulSecret(K, w).toBytes());
      return;
    }
    cs[j] = rng.scalar();
    vs[j] = rng.scalar();
    const t = mod(vs[j] - cs[j] * r); // v·G − c·α = t·G;  v·K − c·(β − value·G) = t·K − c(m − value)·G
    const shift = mulSecret(G, mod(cs[j] * BigInt(m - value)));
    commitments.push(mulSecret(G, t).toBytes(), mulSecret(K, t).subtract(shift).toBytes());
  });
  const items = [...context, enc.G, enc.K, enc.alpha, enc.beta, index(values.length)];
  items.push(...values.map(index), ...commitments);
  const c = hashToScalar(TAG_DISJUNCTIVE, items);
  cs[real] = mod(c - cs.reduce((a, b) => a + b, 0n));
  vs[real] = mod(w + cs[real] * r);
  return { challenges: cs.map(scalarToHex), responses: vs.map(scalarToHex) };
}

function sign(secret, publicBytes, message, context, rng) {
  const w = rng.scalar();
  const a = mulSecret(G, w).toBytes();
  const c = hashToScalar(TAG_SIGNATURE, [...context, G.toBytes(), publicBytes, message, a]);
  return { challenge: scalarToHex(c), response: scalarToHex(mod(w + c * secret)) };
}

// --- the ballot -------------------------------------------------------------------------------

/** The district's contests, each checked against its selection (contest.check_selection). */
function checkedContests(manifest, districtId, selections) {
  let contests;
  try {
    contests = contestsFor(manifest, districtId);
  } catch {
    throw new SelectionRejected('selection.district', `unknown district ${JSON.stringify(districtId)}`);
  }
  if (selections === null || typeof selections !== 'object') {
    throw new SelectionRejected('selection.missing', 'the selections are not an object');
  }
  for (const c of contests) {
    const marks = Object.hasOwn(selections, c.id) ? selections[c.id] : undefined;
    if (marks == null) throw new SelectionRejected('selection.missing', `no selection for contest ${c.id}`);
    if (!Array.isArray(marks) || marks.length !== c.options || marks.some((m) => m !== 0 && m !== 1)) {
      throw new SelectionRejected('selection.marks', `contest ${c.id}: one mark 0 or 1 per option`);
    }
    const total = marks.reduce((a, m, j) => a + m * c.weights[j], 0);
    if (total < c.min_marks || total > c.max_marks) {
      throw new SelectionRejected(
        'selection.total',
        `contest ${c.id}: from ${c.min_marks} to ${c.max_marks} marks, 'against all' alone`
      );
    }
  }
  return contests;
}

function encryptContest(K, enc, contest, marks, rng, tick) {
  const choices = [];
  const cts = [];
  const randomness = [];
  let totalR = 0n;
  marks.forEach((m, j) => {
    const r = rng.scalar();
    const alpha = mulSecret(G, r);
    const rK = mulSecret(K, r);
    const beta = m ? rK.add(G) : rK;
    const [a, b] = [alpha.toBytes(), beta.toBytes()];
    const context = optionContext(enc.fp, enc.cred, contest.id, j);
    const proof = proveDisjunctive(K, { ...enc, alpha: a, beta: b }, r, m, [0, 1], context, rng);
    choices.push({ alpha: bytesToHex(a), beta: bytesToHex(b), proof });
    cts.push({ alpha, beta });
    randomness.push(scalarToHex(r));
    totalR += r * BigInt(contest.weights[j]);
    tick();
  });
  const total = weightedTotal(contest.weights, cts);
  const totalM = marks.reduce((a, m, j) => a + m * contest.weights[j], 0);
  const totalEnc = { ...enc, alpha: total.alpha.toBytes(), beta: total.beta.toBytes() };
  const context = rangeContext(enc.fp, enc.cred, contest.id);
  const rangeProof = proveDisjunctive(K, totalEnc, mod(totalR), totalM, contest.allowed_totals, context, rng);
  return {
    json: { id: contest.id, choices, range_proof: rangeProof },
    opening: { id: contest.id, marks: [...marks], randomness },
  };
}

/**
 * Encrypt a selection (contest id → list of 0/1 marks) for the district and sign it with the
 * credential ({ scalar, public } from deriveCredential). onProgress(done, total) after each
 * option. Returns { raw, trackingCode, opening }; throws SelectionRejected.
 */
export function encryptBallot(ctx, districtId, selections, credential, rng, onProgress) {
  const contests = checkedContests(ctx.manifest, districtId, selections);
  const K = keyOf(ctx);
  const enc = { fp: ctx.fingerprint, G: G.toBytes(), K: K.toBytes(), cred: decodeElement(credential.public).toBytes() };
  const total = contests.reduce((a, c) => a + c.options, 0);
  let done = 0;
  const tick = () => onProgress?.(++done, total);
  const encrypted = contests.map((c) => encryptContest(K, enc, c, selections[c.id], rng, tick));
  const body = {
    election: bytesToHex(ctx.fingerprint),
    district: districtId,
    credential: credential.public,
    contests: encrypted.map((e) => e.json),
  };
  const raw = { ...body, signature: sign(credential.scalar, enc.cred, signedMessage(body), [enc.fp], rng) };
  return { raw, trackingCode: trackingCode(raw), opening: { contests: encrypted.map((e) => e.opening) } };
}

// --- the Benaloh challenge: open a ballot -----------------------------------------------------

const refuse = (code, message) => {
  throw new OpeningRejected(code, message);
};

function openingContests(opening, ballot) {
  if (opening === null || typeof opening !== 'object' || !Array.isArray(opening.contests)) {
    refuse('opening.shape', 'an opening is {contests: [{id, marks, randomness}, ...]}');
  }
  const ids = (xs) => JSON.stringify(xs.map((c) => c?.id));
  if (ids(opening.contests) !== ids(ballot.contests)) {
    refuse('opening.contests', "the opening's contests are not the ballot's");
  }
  return opening.contests;
}

/** The marks of one contest, after checking each ciphertext re-encrypts from (mark, r). */
function openContest(K, opened, encrypted) {
  const { marks, randomness } = opened;
  const n = encrypted.choices.length;
  if (!Array.isArray(marks) || marks.length !== n || marks.some((m) => m !== 0 && m !== 1)) {
    refuse('opening.marks', `contest ${opened.id}: one mark 0 or 1 per option`);
  }
  if (!Array.isArray(randomness) || randomness.length !== n) {
    refuse('opening.randomness', `contest ${opened.id}: one randomness per option`);
  }
  encrypted.choices.forEach((choice, j) => {
    let r;
    try {
      r = decodeScalar(randomness[j]);
    } catch {
      refuse('opening.randomness', `contest ${opened.id} option ${j}: not a canonical scalar`);
    }
    const alpha = mulSecret(G, r);
    const rK = mulSecret(K, r);
    const beta = marks[j] ? rK.add(G) : rK;
    if (!equalBytes(alpha.toBytes(), choice.alpha.toBytes()) || !equalBytes(beta.toBytes(), choice.beta.toBytes())) {
      refuse('opening.ciphertext', `contest ${opened.id} option ${j}: does not re-encrypt from the opening`);
    }
  });
  return [...marks];
}

/**
 * Check that `opening` opens the ballot `raw` of this election: every (alpha, beta) is
 * (r·G, r·K + m·G) with m = 0 or 1. Returns the marks (contest id → list of 0/1);
 * throws OpeningRejected. The proofs and signature are verifyBallot's business.
 */
export function checkOpening(ctx, raw, opening) {
  let ballot;
  try {
    ballot = parseBallot(raw);
  } catch (e) {
    if (e instanceof BallotRejected) refuse('opening.ballot', e.message);
    throw e;
  }
  if (!equalBytes(ballot.election, ctx.fingerprint)) {
    refuse('opening.election', 'the ballot is bound to another election');
  }
  const K = keyOf(ctx);
  const opened = openingContests(opening, ballot);
  return Object.fromEntries(ballot.contests.map((c, i) => [c.id, openContest(K, opened[i], c)]));
}
