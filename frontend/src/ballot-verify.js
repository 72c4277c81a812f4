// Verify a saylau encrypted ballot in JavaScript (browser or Node ≥ 20), with @noble/curves and
// @noble/hashes only. A port of src/saylau/protocol/ballot.py (verify_ballot), manifest.py
// (fingerprint, ballot styles), credentials.py (derive) and canonical.py, pinned to the Python
// code by tests/vectors/ballot.json (checked by tests/vectors/crosscheck.mjs).
//
//   import { electionContext, verifyBallot, BallotRejected } from './ballot-verify.js';
//   const ctx = electionContext(manifestJson, jointPublicKeyHex);
//   try {
//     const { trackingCode } = verifyBallot(ctx, ballotJson, credentialDistricts);
//   } catch (e) {
//     if (e instanceof BallotRejected) console.log(e.check, e.message);
//   }
//
// verifyBallot runs the checks in the order of CHECKS and throws BallotRejected naming the
// first that fails, exactly as the Python verifier does:
//   encoding      the JSON is not a ballot (shape, non-canonical scalar or element encoding)
//   election      the ballot is bound to another election fingerprint
//   credential    not on the published list, or listed for another district
//   ballot style  contests or number of options differ from the district's ballot style
//   0/1 proof     an option's disjunctive 0/1 proof fails
//   range proof   a contest's range proof over its weighted total fails
//   signature     the credential's Schnorr signature over the ballot fails
//
// verifyBallot takes parsed JSON values. Parse ballots and manifests strictly, as
// docs/protocol.md §3.5 requires (integers only, no duplicate keys): JSON.parse is not strict
// (it reads 1.0 as 1 and keeps the last of two equal keys). canonicalJson refuses numbers that
// are not safe integers rather than hash a rounded value.
//
// Encodings are strict (RFC 9496): an element is 64 lowercase hex characters, the canonical
// ristretto255 encoding (bit 255 clear); a scalar is 64 lowercase hex characters, 32 bytes
// little-endian, < L. Verification only handles public values, so it uses noble's
// variable-time multiplyUnsafe; the secret-key operations (deriveCredential, decrypt) use the
// constant-time multiply.

import { ristretto255 } from '@noble/curves/ed25519.js';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

// --- constants ------------------------------------------------------------------------------

export const CHECKS = Object.freeze([
  'encoding',
  'election',
  'credential',
  'ballot style',
  '0/1 proof',
  'range proof',
  'signature',
]);

export const TAG_FINGERPRINT = 'saylau-v1/election-fingerprint';
export const TAG_CREDENTIAL = 'saylau-v1/credential';
export const CREDENTIAL_CHECK_PREFIX = 'saylau-v1/credential-check';
export const TAG_DISJUNCTIVE = 'saylau-v1/proof/disjunctive';
export const TAG_SIGNATURE = 'saylau-v1/signature';
export const GROUP_NAME = 'ristretto255';
export const CREDENTIAL_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

const BALLOT_KEYS = ['contests', 'credential', 'district', 'election', 'signature'];
const CONTEST_KEYS = ['choices', 'id', 'range_proof'];
const CHOICE_KEYS = ['alpha', 'beta', 'proof'];
const PROOF_KEYS = ['challenges', 'responses'];
const SIGNATURE_KEYS = ['challenge', 'response'];

const Point = ristretto255.Point;
export const L = Point.Fn.ORDER;
const G = Point.BASE;
const ZERO = Point.ZERO;
const TEXT = new TextEncoder();
const HEX64 = /^[0-9a-f]{64}$/;

/** A ballot failed the named check (one of CHECKS). */
export class BallotRejected extends Error {
  constructor(check, message) {
    super(`${check}: ${message}`);
    this.name = 'BallotRejected';
    this.check = check;
  }
}

const reject = (check, message) => {
  throw new BallotRejected(check, message);
};

// --- bytes, scalars and elements ---------------------------------------------------------------

const mod = (a) => ((a % L) + L) % L;

function leToBigInt(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

function bigIntToLe(n, length) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

const bigIntToBe = (n, length) => bigIntToLe(n, length).reverse();

function concat(parts) {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let i = 0;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export const scalarToHex = (s) => bytesToHex(bigIntToLe(mod(s), 32));
export const elementToHex = (P) => bytesToHex(P.toBytes());

/** Strict element decoding; throws BallotRejected('encoding') naming `what`. */
export function decodeElement(h, what = 'element') {
  if (typeof h !== 'string' || !HEX64.test(h)) reject('encoding', `${what}: not 64 lowercase hex`);
  const bytes = hexToBytes(h);
  if (bytes[31] & 0x80) reject('encoding', `${what}: bit 255 set (RFC 9496)`);
  try {
    return Point.fromBytes(bytes);
  } catch {
    return reject('encoding', `${what}: not a canonical ristretto255 encoding`);
  }
}

/** Strict scalar decoding: 32 bytes little-endian, < L. */
export function decodeScalar(h, what = 'scalar') {
  if (typeof h !== 'string' || !HEX64.test(h)) reject('encoding', `${what}: not 64 lowercase hex`);
  const s = leToBigInt(hexToBytes(h));
  if (s >= L) reject('encoding', `${what}: not reduced modulo L`);
  return s;
}

/** s·P for public s and P (variable time; 0 and the identity handled). */
function mulPublic(P, s) {
  s = mod(s);
  return s === 0n || P.is0() ? ZERO : P.multiplyUnsafe(s);
}

/** s·P for a secret s (constant time; 0 and the identity handled). */
export function mulSecret(P, s) {
  s = mod(s);
  return s === 0n || P.is0() ? ZERO : P.multiply(s);
}

// --- hashing (src/saylau/crypto/hashing.py) -------------------------------------------------

/** Hash items: Uint8Array as is, string UTF-8, {index: n} 8 bytes BE, {scalar: s} 32 bytes LE,
 * a Point its encoding. */
function itemBytes(item) {
  if (item instanceof Uint8Array) return item;
  if (typeof item === 'string') return TEXT.encode(item);
  if (item instanceof Point) return item.toBytes();
  if (item && typeof item.index === 'number') return bigIntToBe(BigInt(item.index), 8);
  if (item && typeof item.scalar === 'bigint') return bigIntToLe(mod(item.scalar), 32);
  throw new TypeError(`not a hash item: ${item}`);
}

/** For each item: 4-byte big-endian length || bytes. */
export function frame(items) {
  const parts = items.map(itemBytes);
  return concat(parts.flatMap((p) => [bigIntToBe(BigInt(p.length), 4), p]));
}

export function hashToScalar(tag, items) {
  if (!tag.startsWith('saylau-v1/')) throw new Error(`bad domain tag ${tag}`);
  return mod(leToBigInt(expand_message_xmd(frame(items), tag, 64, sha512)));
}

/** SHA-256(frame([tag, ...items])). */
export const digest = (tag, items) => sha256(frame([tag, ...items]));

export const index = (n) => ({ index: n });

// --- canonical JSON (src/saylau/protocol/canonical.py) -----------------------------------------

function compareCodePoints(a, b) {
  // Python sorts str keys by code point; JS compares UTF-16 code units, which differs only
  // when a surrogate pair meets a code unit in U+E000..U+FFFF.
  const A = Array.from(a, (c) => c.codePointAt(0));
  const B = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(A.length, B.length); i++) if (A[i] !== B[i]) return A[i] - B[i];
  return A.length - B.length;
}

/** Python's json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=False).
 * Only JSON values; numbers must be safe integers (saylau documents have no floats). */
export function canonicalJson(value) {
  if (value === null || value === true || value === false) return String(value);
  switch (typeof value) {
    case 'number':
      if (!Number.isSafeInteger(value)) throw new TypeError(`not a safe integer: ${value}`);
      return String(value);
    case 'string':
      if (!value.isWellFormed()) throw new TypeError('a string with a lone surrogate');
      return JSON.stringify(value); // escapes exactly as Python's json does with ensure_ascii=False
    case 'object':
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      return `{${Object.keys(value)
        .sort(compareCodePoints)
        .map((k) => `${canonicalJson(k)}:${canonicalJson(value[k])}`)
        .join(',')}}`;
  }
  throw new TypeError(`not a JSON value: ${typeof value}`);
}

export const canonicalJsonBytes = (value) => TEXT.encode(canonicalJson(value));

// --- manifest, fingerprint, credentials -----------------------------------------------------

/** SHA-256 over (tag, canonical manifest, group name, generator, joint public key). */
export function fingerprint(manifest, jointPublicKey) {
  const K = typeof jointPublicKey === 'string' ? decodeElement(jointPublicKey, 'joint key') : jointPublicKey;
  return digest(TAG_FINGERPRINT, [canonicalJsonBytes(manifest), GROUP_NAME, G, K]);
}

/** What a ballot is checked against: manifest, joint public key (hex) and fingerprint. */
export function electionContext(manifest, jointPublicKeyHex) {
  const key = decodeElement(jointPublicKeyHex, 'joint key');
  if (key.is0()) throw new Error('the joint public key is the identity element');
  return Object.freeze({ manifest, key, fingerprint: fingerprint(manifest, key) });
}

/** The contests of a district's ballot style: id, min/max marks, weights, allowed totals. */
export function contestsFor(manifest, districtId) {
  const district = manifest.districts.find((d) => d.id === districtId);
  if (!district) throw new Error(`unknown district ${JSON.stringify(districtId)}`);
  const style = manifest.ballot_styles.find((s) => s.id === district.ballot_style);
  return style.contests.map((cid) => {
    const c = manifest.contests.find((x) => x.id === cid);
    const min = c.min_marks;
    const max = c.max_marks;
    const againstAll = c.options.findIndex((o) => o.against_all === true);
    return {
      id: c.id,
      options: c.options.length,
      min_marks: min,
      max_marks: max,
      against_all_index: againstAll < 0 ? null : againstAll,
      weights: c.options.map((o) => (o.against_all === true ? max : 1)),
      allowed_totals: Array.from({ length: max - min + 1 }, (_, i) => min + i),
    };
  });
}

function checkCharacter(body) {
  const h = sha256(TEXT.encode(CREDENTIAL_CHECK_PREFIX + body));
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(h[i]);
  return CREDENTIAL_ALPHABET[Number(n % 58n)];
}

/** A credential as typed (separators allowed) → its 20 characters; throws on a typo. */
export function normaliseCode(text) {
  const code = Array.from(text).filter((c) => !'- \t'.includes(c)).join('');
  if (code.length !== 20 || [...code].some((c) => !CREDENTIAL_ALPHABET.includes(c))) {
    throw new Error('a credential is 20 characters of the base58 alphabet');
  }
  if (checkCharacter(code.slice(0, 19)) !== code[19]) {
    throw new Error("the credential's check character is wrong (a typo?)");
  }
  return code;
}

/** The secret scalar and public credential of a code: s = H(tag, [election_id, code]). */
export function deriveCredential(electionId, codeText) {
  const code = normaliseCode(codeText);
  const scalar = hashToScalar(TAG_CREDENTIAL, [electionId, code]);
  return { code, scalar, public: elementToHex(mulSecret(G, scalar)) };
}

// --- ballot parsing: shape and encodings (ballot_from_json) -----------------------------------

function object(x, keys, where) {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) reject('encoding', `${where}: expected an object`);
  const got = Object.keys(x).sort();
  if (got.length !== keys.length || got.some((k, i) => k !== keys[i])) {
    reject('encoding', `${where}: expected fields ${keys.join(', ')}, got ${got.join(', ')}`);
  }
  return x;
}

function list(x, where) {
  if (!Array.isArray(x)) reject('encoding', `${where}: expected a list`);
  return x;
}

function parseProof(x, where) {
  const o = object(x, PROOF_KEYS, where);
  const cs = list(o.challenges, `${where}.challenges`);
  const vs = list(o.responses, `${where}.responses`);
  if (cs.length !== vs.length || cs.length === 0) {
    reject('encoding', `${where}: challenges and responses must be equal, non-empty lists`);
  }
  return {
    cs: cs.map((c, i) => decodeScalar(c, `${where}.challenges[${i}]`)),
    vs: vs.map((v, i) => decodeScalar(v, `${where}.responses[${i}]`)),
  };
}

/** Parse a ballot (a JSON value), checking its shape and every encoding. */
export function parseBallot(raw) {
  const o = object(raw, BALLOT_KEYS, 'ballot');
  if (typeof o.election !== 'string' || !HEX64.test(o.election)) {
    reject('encoding', 'ballot.election: expected 64 lowercase hex characters');
  }
  if (typeof o.district !== 'string') reject('encoding', 'ballot.district: expected a string');
  const credential = decodeElement(o.credential, 'ballot.credential');
  const contests = list(o.contests, 'ballot.contests').map((c, i) => {
    const w = `ballot.contests[${i}]`;
    object(c, CONTEST_KEYS, w);
    if (typeof c.id !== 'string') reject('encoding', `${w}.id: expected a string`);
    const choices = list(c.choices, `${w}.choices`).map((ch, j) => {
      const cw = `${w}.choices[${j}]`;
      object(ch, CHOICE_KEYS, cw);
      return {
        alpha: decodeElement(ch.alpha, `${cw}.alpha`),
        beta: decodeElement(ch.beta, `${cw}.beta`),
        proof: parseProof(ch.proof, `${cw}.proof`),
      };
    });
    return { id: c.id, choices, rangeProof: parseProof(c.range_proof, `${w}.range_proof`) };
  });
  const so = object(o.signature, SIGNATURE_KEYS, 'ballot.signature');
  const signature = {
    c: decodeScalar(so.challenge, 'ballot.signature.challenge'),
    s: decodeScalar(so.response, 'ballot.signature.response'),
  };
  return {
    election: hexToBytes(o.election),
    district: o.district,
    credential,
    credentialHex: o.credential,
    contests,
    signature,
    raw,
  };
}

// --- proofs (src/saylau/crypto/proofs.py, signatures.py) ---------------------------------------

/** v·P − c·Q: the commitment a verifier recomputes. */
const recommit = (P, v, Q, c) => mulPublic(P, v).subtract(mulPublic(Q, c));

/** Does (alpha, beta) encrypt one of `values` under K, by this disjunctive proof? */
export function disjunctiveValid(K, alpha, beta, values, context, { cs, vs }) {
  if (cs.length !== values.length || vs.length !== values.length) return false;
  const items = [...context, G, K, alpha, beta, index(values.length), ...values.map(index)];
  values.forEach((m, j) => {
    const shifted = m ? beta.subtract(mulPublic(G, BigInt(m))) : beta;
    items.push(recommit(G, vs[j], alpha, cs[j]), recommit(K, vs[j], shifted, cs[j]));
  });
  return mod(cs.reduce((a, b) => a + b, 0n)) === hashToScalar(TAG_DISJUNCTIVE, items);
}

/** Schnorr signature (c, s) by X over message under context. The identity is no key: with
 * X = O anyone can sign (pick s, c = H(…, s·G)). */
export function signatureValid(X, message, context, { c, s }) {
  if (X.is0()) return false;
  const A = recommit(G, s, X, c);
  return hashToScalar(TAG_SIGNATURE, [...context, G, X, message, A]) === c;
}

// --- the ballot ---------------------------------------------------------------------------------

export const optionContext = (fp, cred, contestId, j) => [fp, cred, contestId, index(j)];
export const rangeContext = (fp, cred, contestId) => [fp, cred, contestId, 'total'];

/** Σ ordinary options + max_marks·(against all), by repeated addition (as ballot.py). */
export function weightedTotal(weights, choices) {
  let alpha = ZERO;
  let beta = ZERO;
  choices.forEach((ch, j) => {
    for (let k = 0; k < weights[j]; k++) {
      alpha = alpha.add(ch.alpha);
      beta = beta.add(ch.beta);
    }
  });
  return { alpha, beta };
}

/** SHA-256 of the canonical JSON of the ballot without its signature: what is signed. */
export function signedMessage(raw) {
  const body = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'signature'));
  return sha256(canonicalJsonBytes(body));
}

/** The tracking code: SHA-256 hex of the ballot's canonical JSON. */
export const trackingCode = (raw) => bytesToHex(sha256(canonicalJsonBytes(raw)));

/**
 * Verify a ballot completely. `credentialDistricts` maps public credentials (hex) to their
 * district (a Map or a plain object), or is null when the caller checked the credential.
 * Returns { trackingCode, signedMessage (hex), ballot (parsed) }; throws BallotRejected.
 */
export function verifyBallot(ctx, raw, credentialDistricts) {
  const ballot = parseBallot(raw);
  const { key: K, fingerprint: fp, manifest } = ctx;
  const cred = ballot.credential;
  if (!equalBytes(ballot.election, fp)) {
    reject('election', 'the ballot is bound to another election fingerprint');
  }
  if (credentialDistricts != null) {
    const listed =
      credentialDistricts instanceof Map
        ? credentialDistricts.get(ballot.credentialHex)
        : Object.hasOwn(credentialDistricts, ballot.credentialHex)
          ? credentialDistricts[ballot.credentialHex]
          : undefined;
    if (listed === undefined) reject('credential', 'not on the published credential list');
    if (listed !== ballot.district) {
      reject('credential', `belongs to district ${listed}, not ${ballot.district}`);
    }
  }
  let expected;
  try {
    expected = contestsFor(manifest, ballot.district);
  } catch {
    reject('ballot style', `unknown district ${JSON.stringify(ballot.district)}`);
  }
  const ids = (xs) => JSON.stringify(xs.map((c) => c.id));
  if (ids(expected) !== ids(ballot.contests)) {
    reject('ballot style', "the contests do not match the district's ballot style");
  }
  expected.forEach((contest, i) => {
    const enc = ballot.contests[i];
    if (enc.choices.length !== contest.options) {
      reject('ballot style', `contest ${contest.id}: wrong number of options`);
    }
    enc.choices.forEach((ch, j) => {
      const context = optionContext(fp, cred, contest.id, j);
      if (!disjunctiveValid(K, ch.alpha, ch.beta, [0, 1], context, ch.proof)) {
        reject('0/1 proof', `contest ${contest.id} option ${j}: 0/1 proof fails`);
      }
    });
    const total = weightedTotal(contest.weights, enc.choices);
    const context = rangeContext(fp, cred, contest.id);
    if (!disjunctiveValid(K, total.alpha, total.beta, contest.allowed_totals, context, enc.rangeProof)) {
      reject(
        'range proof',
        `contest ${contest.id}: range proof fails (marks outside ` +
          `[${contest.min_marks}, ${contest.max_marks}] or 'against all' with another mark)`
      );
    }
  });
  const message = signedMessage(raw);
  if (!signatureValid(cred, message, [fp], ballot.signature)) {
    reject('signature', 'the credential signature does not verify');
  }
  return { trackingCode: trackingCode(raw), signedMessage: bytesToHex(message), ballot };
}

/**
 * Decrypt every option with the whole secret key (tests and demos; trustees use shares):
 * contest id → list of marks (0 or 1; null if the plaintext is neither).
 */
export function decryptBallot(secretKeyHex, raw) {
  const x = decodeScalar(secretKeyHex, 'secret key');
  const ballot = parseBallot(raw);
  const one = G.toBytes();
  return Object.fromEntries(
    ballot.contests.map((c) => [
      c.id,
      c.choices.map(({ alpha, beta }) => {
        const m = beta.subtract(mulSecret(alpha, x));
        return m.is0() ? 0 : equalBytes(m.toBytes(), one) ? 1 : null;
      }),
    ])
  );
}
