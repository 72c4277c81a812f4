#!/usr/bin/env node
// Independent cross-check of the saylau test vectors (tests/vectors/*.json) with
// @noble/curves and @noble/hashes only: no saylau Python code is involved.
//
//   node tests/vectors/crosscheck.mjs [VECTOR_DIR] [--only a.json,b.json]
//
// VECTOR_DIR defaults to the directory of this script. The @noble packages are resolved from
// frontend/node_modules (two directories up from this script; override with the environment
// variable SAYLAU_FRONTEND_DIR), so this runs from any working directory once
// `npm ci --prefix frontend` has been done.
//
// For every file it recomputes what the file claims (group operations and encodings,
// expand_message_xmd, hash-to-ristretto255, the item framing and hash_to_scalar, ElGamal), checks
// every invalid encoding is rejected, verifies every proof and signature by recomputing the
// commitments and the Fiat–Shamir challenge, re-proves them byte for byte from the recorded
// witness and RNG scalars, and checks that every tampered variant is rejected at the stage the
// file says ("decoding" or "verification"). ballot.json is checked with the browser's verifier,
// frontend/src/ballot-verify.js (also @noble only), and again with this file's own primitives.
//
// Exit status: 0 all checks passed; 1 some check failed; 2 set-up error (missing packages,
// unreadable directory). Adding a vector file type: write checkX(doc, report) and register it
// in CHECKERS below; a file without a checker, or a checker without its file, is a failure.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const FRONTEND = resolve(process.env.SAYLAU_FRONTEND_DIR ?? join(HERE, '..', '..', 'frontend'));

function setupError(message) {
  console.error(`crosscheck: ${message}`);
  process.exit(2);
}

async function importFromFrontend(specifier) {
  const require = createRequire(join(FRONTEND, 'package.json'));
  let path;
  try {
    path = require.resolve(specifier);
  } catch {
    setupError(
      `cannot resolve ${specifier} from ${FRONTEND}/node_modules; ` +
        'run `npm ci --prefix frontend` (or `make test`)'
    );
  }
  return import(pathToFileURL(path).href);
}

const { ristretto255, ristretto255_hasher } = await importFromFrontend('@noble/curves/ed25519.js');
const { expand_message_xmd } = await importFromFrontend('@noble/curves/abstract/hash-to-curve.js');
const { sha256, sha512 } = await importFromFrontend('@noble/hashes/sha2.js');
const { bytesToHex, hexToBytes } = await importFromFrontend('@noble/hashes/utils.js');

// The browser's ballot verifier (frontend/src/ballot-verify.js, @noble only), checked against
// ballot.json; this file re-checks the same ballot with its own primitives below.
async function importFrontendSource(name) {
  const path = join(FRONTEND, 'src', name);
  try {
    return await import(pathToFileURL(path).href);
  } catch (e) {
    return setupError(`cannot load ${path}: ${e?.message ?? e}`);
  }
}
const BV = await importFrontendSource('ballot-verify.js');
// The booth's modules (ballot_encrypt.json, board.json: see crosscheck_booth.mjs).
const BOOTH = {
  BV,
  BE: await importFrontendSource('ballot-encrypt.js'),
  BJ: await importFrontendSource('booth-jobs.js'),
  BF: await importFrontendSource('board-verify.js'),
  hex: bytesToHex,
  bytes: hexToBytes,
  scalarHex: (s) => scalarHex(s),
};
const { checkBallotEncrypt, checkBoard } = await import('./crosscheck_booth.mjs');

// --- ristretto255 ------------------------------------------------------------------------

const Point = ristretto255.Point;
const L = Point.Fn.ORDER;
const G = Point.BASE;
const ZERO = Point.ZERO;
const TEXT = new TextEncoder();
const HEX64 = /^[0-9a-f]{64}$/;
const HEX = /^(?:[0-9a-f]{2})*$/;

class DecodeError extends Error {}

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

function bigIntToBe(n, length) {
  return bigIntToLe(n, length).reverse();
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let i = 0;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
}

function hexBytes(h, what) {
  if (typeof h !== 'string' || !HEX.test(h)) throw new DecodeError(`${what}: not lowercase hex`);
  return hexToBytes(h);
}

/** Canonical element from 64 lowercase hex characters (noble enforces RFC 9496 decoding). */
function decodeElement(h, what = 'element') {
  if (typeof h !== 'string' || !HEX64.test(h)) throw new DecodeError(`${what}: not 64 hex`);
  return decodeElementBytes(hexToBytes(h), what);
}

function decodeElementBytes(bytes, what = 'element') {
  if (bytes.length !== 32) throw new DecodeError(`${what}: not 32 bytes`);
  try {
    return Point.fromBytes(bytes);
  } catch (e) {
    throw new DecodeError(`${what}: ${e.message}`);
  }
}

/** Canonical scalar: 32 bytes little-endian, < L. */
function decodeScalar(h, what = 'scalar') {
  if (typeof h !== 'string' || !HEX64.test(h)) throw new DecodeError(`${what}: not 64 hex`);
  const s = leToBigInt(hexToBytes(h));
  if (s >= L) throw new DecodeError(`${what}: not reduced modulo L`);
  return s;
}

function decodeNatural(n, what) {
  if (!Number.isSafeInteger(n) || n < 0) throw new DecodeError(`${what}: not a natural number`);
  return n;
}

const scalarBytes = (s) => bigIntToLe(mod(s), 32);
const scalarHex = (s) => bytesToHex(scalarBytes(s));
const hex = (P) => bytesToHex(P.toBytes());

/** s·P with the identity handled explicitly (noble's multiply wants 1 <= s < L). */
function mul(P, s) {
  s = mod(s);
  return s === 0n || P.is0() ? ZERO : P.multiply(s);
}

const baseMul = (s) => mul(G, s);

// --- hashing (re-implemented from src/saylau/crypto/hashing.py's docstring) ----------------

const DST_PREFIX = 'saylau-v1/';

/** A typed JSON item -> its bytes: str UTF-8, hex bytes, index 8 bytes BE, scalar 32 bytes LE. */
function itemBytes(item) {
  if (item === null || typeof item !== 'object' || Object.keys(item).length !== 1) {
    throw new DecodeError(`malformed item ${JSON.stringify(item)}`);
  }
  const [[kind, value]] = Object.entries(item);
  switch (kind) {
    case 'str':
      if (typeof value !== 'string') break;
      return TEXT.encode(value);
    case 'hex':
      return hexBytes(value, 'hex item');
    case 'index':
      return bigIntToBe(BigInt(decodeNatural(value, 'index item')), 8);
    case 'scalar':
      return scalarBytes(decodeScalar(value, 'scalar item'));
  }
  throw new DecodeError(`malformed item ${JSON.stringify(item)}`);
}

function contextBytes(items) {
  if (!Array.isArray(items)) throw new DecodeError('context is not a list');
  return items.map(itemBytes);
}

/** For each item: 4-byte big-endian length || bytes. */
function frame(parts) {
  return concat(parts.flatMap((p) => [bigIntToBe(BigInt(p.length), 4), p]));
}

function checkTag(tag) {
  if (typeof tag !== 'string' || !tag.startsWith(DST_PREFIX)) throw new Error(`bad tag ${tag}`);
  return tag;
}

function hashToScalar(tag, parts) {
  return mod(leToBigInt(expand_message_xmd(frame(parts), checkTag(tag), 64, sha512)));
}

function hashToElement(dst, msg) {
  return ristretto255_hasher.hashToCurve(msg, { DST: dst });
}

function digest(tag, parts) {
  return sha256(frame([TEXT.encode(tag), ...parts]));
}

const indexBytes = (n) => bigIntToBe(BigInt(n), 8);

// --- sigma proofs (mirrors src/saylau/crypto/proofs.py and signatures.py) ------------------

const TAG_SCHNORR = 'saylau-v1/proof/schnorr';
const TAG_CHAUM_PEDERSEN = 'saylau-v1/proof/chaum-pedersen';
const TAG_DISJUNCTIVE = 'saylau-v1/proof/disjunctive';
const TAG_SIGNATURE = 'saylau-v1/signature';

const enc = (P) => P.toBytes();

const schnorrChallenge = (ctx, X, A) => hashToScalar(TAG_SCHNORR, [...ctx, enc(G), enc(X), enc(A)]);

const cpChallenge = (ctx, X, base, D, A, B) =>
  hashToScalar(TAG_CHAUM_PEDERSEN, [...ctx, enc(G), enc(X), enc(base), enc(D), enc(A), enc(B)]);

const sigChallenge = (ctx, X, message, A) =>
  hashToScalar(TAG_SIGNATURE, [...ctx, enc(G), enc(X), message, enc(A)]);

function disjChallenge(ctx, K, alpha, beta, values, commitments) {
  const parts = [...ctx, enc(G), enc(K), enc(alpha), enc(beta), indexBytes(values.length)];
  for (const v of values) parts.push(indexBytes(v));
  for (const [a, b] of commitments) parts.push(enc(a), enc(b));
  return hashToScalar(TAG_DISJUNCTIVE, parts);
}

/** v·G − c·X: the commitment a verifier recomputes. */
const recommit = (base, v, X, c) => mul(base, v).subtract(mul(X, c));

function disjCommitments(K, alpha, beta, values, cs, vs) {
  return values.map((m, j) => {
    const shifted = beta.subtract(baseMul(BigInt(m)));
    return [recommit(G, vs[j], alpha, cs[j]), recommit(K, vs[j], shifted, cs[j])];
  });
}

// Each kind: decode(case) -> decoded statement (throws DecodeError), verify(d) -> boolean,
// prove(d, witness, nonces) -> proof JSON (to compare with the recorded proof).
const KINDS = {
  schnorr: {
    decode: (v) => ({
      X: decodeElement(v.statement.public, 'public'),
      ctx: contextBytes(v.context),
      c: decodeScalar(v.proof.challenge, 'challenge'),
      s: decodeScalar(v.proof.response, 'response'),
    }),
    verify: ({ X, ctx, c, s }) => schnorrChallenge(ctx, X, recommit(G, s, X, c)) === c,
    prove: ({ X, ctx }, witness, [w]) => {
      const c = schnorrChallenge(ctx, X, baseMul(w));
      return { challenge: scalarHex(c), response: scalarHex(w + c * decodeScalar(witness.secret)) };
    },
  },
  chaum_pedersen: {
    decode: (v) => ({
      X: decodeElement(v.statement.x, 'x'),
      base: decodeElement(v.statement.base, 'base'),
      D: decodeElement(v.statement.d, 'd'),
      ctx: contextBytes(v.context),
      c: decodeScalar(v.proof.challenge, 'challenge'),
      s: decodeScalar(v.proof.response, 'response'),
    }),
    verify: ({ X, base, D, ctx, c, s }) =>
      cpChallenge(ctx, X, base, D, recommit(G, s, X, c), recommit(base, s, D, c)) === c,
    prove: ({ X, base, D, ctx }, witness, [w]) => {
      const c = cpChallenge(ctx, X, base, D, baseMul(w), mul(base, w));
      return { challenge: scalarHex(c), response: scalarHex(w + c * decodeScalar(witness.secret)) };
    },
  },
  disjunctive: {
    decode: (v) => {
      const st = v.statement;
      if (!Array.isArray(st.values)) throw new DecodeError('values is not a list');
      if (!Array.isArray(v.proof.challenges) || !Array.isArray(v.proof.responses)) {
        throw new DecodeError('challenges/responses are not lists');
      }
      return {
        K: decodeElement(st.public_key, 'public_key'),
        alpha: decodeElement(st.alpha, 'alpha'),
        beta: decodeElement(st.beta, 'beta'),
        values: st.values.map((m) => decodeNatural(m, 'value')),
        ctx: contextBytes(v.context),
        cs: v.proof.challenges.map((c) => decodeScalar(c, 'challenge')),
        vs: v.proof.responses.map((s) => decodeScalar(s, 'response')),
      };
    },
    verify: ({ K, alpha, beta, values, ctx, cs, vs }) => {
      if (cs.length !== values.length || vs.length !== values.length) return false;
      const commitments = disjCommitments(K, alpha, beta, values, cs, vs);
      const c = disjChallenge(ctx, K, alpha, beta, values, commitments);
      return mod(cs.reduce((a, b) => a + b, 0n)) === c;
    },
    prove: ({ K, alpha, beta, values, ctx }, witness, nonces) => {
      // Same order of RNG draws as prove_disjunctive: w, then (c_j, v_j) for each fake branch.
      const real = values.indexOf(witness.m);
      const r = decodeScalar(witness.r);
      const draws = [...nonces];
      const w = draws.shift();
      const cs = values.map(() => 0n);
      const vs = values.map(() => 0n);
      const commitments = values.map((m, j) => {
        if (j === real) return [baseMul(w), mul(K, w)];
        cs[j] = draws.shift();
        vs[j] = draws.shift();
        const shifted = beta.subtract(baseMul(BigInt(m)));
        return [recommit(G, vs[j], alpha, cs[j]), recommit(K, vs[j], shifted, cs[j])];
      });
      const c = disjChallenge(ctx, K, alpha, beta, values, commitments);
      cs[real] = mod(c - cs.reduce((a, b) => a + b, 0n));
      vs[real] = mod(w + cs[real] * r);
      return { challenges: cs.map(scalarHex), responses: vs.map(scalarHex) };
    },
  },
  signature: {
    decode: (v) => ({
      X: decodeElement(v.statement.public, 'public'),
      message: hexBytes(v.statement.message, 'message'),
      ctx: contextBytes(v.context),
      c: decodeScalar(v.proof.challenge, 'challenge'),
      s: decodeScalar(v.proof.response, 'response'),
    }),
    verify: ({ X, message, ctx, c, s }) => sigChallenge(ctx, X, message, recommit(G, s, X, c)) === c,
    prove: ({ X, message, ctx }, witness, [w]) => {
      const c = sigChallenge(ctx, X, message, baseMul(w));
      return { challenge: scalarHex(c), response: scalarHex(w + c * decodeScalar(witness.secret)) };
    },
  },
};

// --- reporting ---------------------------------------------------------------------------

class Report {
  constructor(file) {
    this.file = file;
    this.passed = 0;
    this.failures = [];
    this.notes = [];
  }

  note(text) {
    this.notes.push(text);
  }

  ok(condition, what) {
    if (condition) this.passed++;
    else this.failures.push(what);
  }

  eq(actual, expected, what) {
    this.ok(actual === expected, `${what}: got ${actual}, expected ${expected}`);
  }

  /** Run fn; an exception is a failure of `what`. */
  run(what, fn) {
    try {
      fn();
    } catch (e) {
      this.failures.push(`${what}: threw ${e?.stack ?? e}`);
    }
  }

  rejects(what, fn) {
    let threw = false;
    try {
      fn();
    } catch {
      threw = true;
    }
    this.ok(threw, `${what}: accepted, must be rejected`);
  }
}

/** Check one proof/signature case: valid, re-provable, and every tampered variant rejected. */
function checkProofCase(kindName, c, report) {
  const kind = KINDS[kindName];
  const where = `${kindName} "${c.name}"`;
  report.run(`${where}: verify`, () => {
    const d = kind.decode(c);
    report.ok(kind.verify(d), `${where}: does not verify`);
    const nonces = c.rng_scalars.map((s) => decodeScalar(s, 'rng scalar'));
    const again = kind.prove(d, c.witness, nonces);
    report.eq(JSON.stringify(again), JSON.stringify(c.proof), `${where}: re-proved`);
  });
  report.ok(Array.isArray(c.tampered) && c.tampered.length > 0, `${where}: no tampered variants`);
  for (const t of c.tampered ?? []) {
    const what = `${where} / tampered "${t.name}"`;
    let decoded;
    try {
      decoded = kind.decode(t);
    } catch (e) {
      if (!(e instanceof DecodeError)) {
        report.failures.push(`${what}: decoding threw ${e?.stack ?? e}`);
      } else {
        report.eq('decoding', t.rejected_by, `${what}: rejected at`);
      }
      continue;
    }
    let valid;
    try {
      valid = kind.verify(decoded);
    } catch (e) {
      report.failures.push(`${what}: verification threw ${e?.stack ?? e}`);
      continue;
    }
    if (valid) report.failures.push(`${what}: ACCEPTED, must be rejected`);
    else report.eq('verification', t.rejected_by, `${what}: rejected at`);
  }
}

// --- one checker per vector file -----------------------------------------------------------

function checkGroup(doc, report) {
  report.eq(doc.order, L.toString(), 'group order');
  report.eq(doc.generator_element, hex(G), 'generator');
  report.eq(doc.identity_element, hex(ZERO), 'identity');
  let acc = ZERO;
  for (const { k, element } of doc.rfc9496_a1_multiples) {
    report.run(`A.1 ${k}·B`, () => {
      report.eq(hex(baseMul(BigInt(k))), element, `A.1 ${k}·B by multiplication`);
      report.eq(hex(acc), element, `A.1 ${k}·B by repeated addition`);
      report.eq(hex(decodeElement(element)), element, `A.1 ${k}·B decode/encode`);
    });
    acc = acc.add(G);
  }
  report.ok(doc.rfc9496_a1_multiples.length === 16, 'A.1 has 16 entries');
  report.ok(doc.rfc9496_a2_invalid.length === 29, 'A.2 has 29 entries');
  for (const { encoding, reason } of [...doc.rfc9496_a2_invalid, ...doc.extra_invalid_encodings]) {
    report.rejects(`invalid encoding ${encoding} (${reason})`, () =>
      decodeElementBytes(hexBytes(encoding, 'encoding'))
    );
  }
  for (const { input, element } of doc.rfc9496_a3_from_uniform_bytes) {
    report.run(`A.3 ${input.slice(0, 16)}`, () =>
      report.eq(hex(ristretto255_hasher.deriveToCurve(hexToBytes(input))), element, 'A.3 map')
    );
  }
  for (const { encoding, value } of doc.canonical_scalars) {
    report.run(`scalar ${value}`, () => report.eq(decodeScalar(encoding).toString(), value, 'scalar'));
  }
  for (const { encoding, reason } of doc.non_canonical_scalars) {
    report.rejects(`non-canonical scalar (${reason})`, () => decodeScalar(encoding));
  }
  for (const { scalar, element } of doc.base_mul) {
    report.run(`base_mul ${scalar}`, () =>
      report.eq(hex(baseMul(decodeScalar(scalar))), element, `base_mul ${scalar}`)
    );
  }
  for (const { scalar, point, element } of doc.mul) {
    report.run(`mul ${scalar}`, () =>
      report.eq(hex(mul(decodeElement(point), decodeScalar(scalar))), element, `mul ${scalar}·${point}`)
    );
  }
  for (const { p, q, sum, difference } of doc.add) {
    report.run(`add ${p} ${q}`, () => {
      const P = decodeElement(p);
      const Q = decodeElement(q);
      report.eq(hex(P.add(Q)), sum, `${p} + ${q}`);
      report.eq(hex(P.subtract(Q)), difference, `${p} - ${q}`);
    });
  }
  for (const { p, neg } of doc.neg) {
    report.run(`neg ${p}`, () => report.eq(hex(decodeElement(p).negate()), neg, `-${p}`));
  }
}

function checkHashing(doc, report) {
  for (const v of doc.expand_message_xmd_sha512) {
    report.run(`xmd ${v.dst} ${v.len_in_bytes}`, () => {
      const out = expand_message_xmd(hexToBytes(v.msg), v.dst, v.len_in_bytes, sha512);
      report.eq(bytesToHex(out), v.uniform_bytes, `expand_message_xmd(${v.source}, ${v.dst}, ${v.len_in_bytes})`);
    });
  }
  for (const v of doc.frame) {
    report.run(`frame ${JSON.stringify(v.items).slice(0, 60)}`, () =>
      report.eq(bytesToHex(frame(v.items.map(itemBytes))), v.framed, 'frame')
    );
  }
  const inputOf = new Map(); // output -> (tag, framed items): distinct inputs, distinct outputs
  for (const v of doc.hash_to_scalar) {
    report.run(`hash_to_scalar ${v.tag}`, () => {
      const parts = v.items.map(itemBytes);
      const s = hashToScalar(v.tag, parts);
      report.eq(scalarHex(s), v.scalar, `hash_to_scalar(${v.tag}, ${JSON.stringify(v.items).slice(0, 60)})`);
      const input = `${v.tag} ${bytesToHex(frame(parts))}`;
      const earlier = inputOf.get(v.scalar);
      report.ok(earlier === undefined || earlier === input, `hash_to_scalar collision ${v.scalar}`);
      inputOf.set(v.scalar, input);
    });
  }
  for (const v of doc.hash_to_element) {
    report.run(`hash_to_element ${v.dst}`, () =>
      report.eq(hex(hashToElement(v.dst, hexToBytes(v.msg))), v.element, `hash_to_element(${v.dst}, ${v.msg.slice(0, 32)})`)
    );
  }
  for (const v of doc.digest) {
    report.run(`digest ${v.tag}`, () =>
      report.eq(bytesToHex(digest(v.tag, v.items.map(itemBytes))), v.digest, `digest(${v.tag})`)
    );
  }
}

function checkElgamal(doc, report) {
  const keys = doc.keys.map(({ secret, public: pub }) => {
    const x = decodeScalar(secret);
    const K = decodeElement(pub);
    report.eq(hex(baseMul(x)), pub, 'public key = secret·G');
    return { x, K };
  });
  const cts = doc.encryptions.map((e, i) => {
    const { x, K } = keys[e.key];
    const r = decodeScalar(e.r);
    const m = BigInt(decodeNatural(e.m, 'm'));
    const alpha = baseMul(r);
    const beta = mul(K, r).add(baseMul(m));
    report.eq(hex(alpha), e.alpha, `encryption ${i}: alpha`);
    report.eq(hex(beta), e.beta, `encryption ${i}: beta`);
    report.eq(hex(baseMul(m)), e.plaintext_element, `encryption ${i}: m·G`);
    const decrypted = decodeElement(e.beta).subtract(mul(decodeElement(e.alpha), x));
    report.eq(hex(decrypted), e.plaintext_element, `encryption ${i}: beta - x·alpha`);
    return [decodeElement(e.alpha), decodeElement(e.beta)];
  });
  for (const s of doc.sums) {
    const [a, b] = s.of.reduce(([a, b], i) => [a.add(cts[i][0]), b.add(cts[i][1])], [ZERO, ZERO]);
    report.eq(hex(a), s.alpha, `sum of ${s.of}: alpha`);
    report.eq(hex(b), s.beta, `sum of ${s.of}: beta`);
    const m = s.of.reduce((acc, i) => acc + doc.encryptions[i].m, 0);
    report.eq(m, s.m, `sum of ${s.of}: m`);
    report.eq(hex(b.subtract(mul(a, keys[s.key].x))), hex(baseMul(BigInt(m))), `sum of ${s.of}: decrypts`);
  }
  for (const s of doc.scaled) {
    const k = decodeScalar(s.k);
    report.eq(hex(mul(cts[s.of][0], k)), s.alpha, `scaled ${s.of}: alpha`);
    report.eq(hex(mul(cts[s.of][1], k)), s.beta, `scaled ${s.of}: beta`);
  }
}

function checkProofs(doc, report) {
  report.eq(doc.tags.schnorr, TAG_SCHNORR, 'schnorr tag');
  report.eq(doc.tags.chaum_pedersen, TAG_CHAUM_PEDERSEN, 'chaum-pedersen tag');
  report.eq(doc.tags.disjunctive, TAG_DISJUNCTIVE, 'disjunctive tag');
  for (const kind of ['schnorr', 'chaum_pedersen', 'disjunctive']) {
    report.ok(doc[kind].length > 0, `no ${kind} cases`);
    for (const c of doc[kind]) checkProofCase(kind, c, report);
  }
}

function checkSignatures(doc, report) {
  report.eq(doc.tag, TAG_SIGNATURE, 'signature tag');
  report.ok(doc.cases.length > 0, 'no signature cases');
  for (const c of doc.cases) {
    report.eq(hex(baseMul(decodeScalar(c.witness.secret))), c.statement.public, `${c.name}: public`);
    checkProofCase('signature', c, report);
  }
}


// ballot.json: a complete ballot. The staged verification (which check rejects a tampered
// ballot) is frontend/src/ballot-verify.js; the proofs, signature, decryption and a
// byte-for-byte re-encryption from the recorded RNG scalars are redone here with this file's
// own primitives (KINDS), so two JS implementations and the Python generator must agree.
/** The randomness r of every option, from ballot.json's rng_scalars (per option r, w, c, v; per
 * contest 1 + 2·(values − 1) for its range proof). */
function rngOptionScalars(doc) {
  const out = [];
  let at = 0;
  for (const st of doc.ballot_style) {
    for (let j = 0; j < st.options; j++, at += 4) out.push(doc.rng_scalars[at]);
    at += 1 + 2 * (st.allowed_totals.length - 1);
  }
  return out.join();
}

function checkBallot(doc, report) {
  report.eq(doc.tags.fingerprint, BV.TAG_FINGERPRINT, 'fingerprint tag');
  report.eq(doc.tags.credential, BV.TAG_CREDENTIAL, 'credential tag');
  report.eq(doc.tags.credential_check_prefix, BV.CREDENTIAL_CHECK_PREFIX, 'credential check prefix');
  report.eq(doc.tags.disjunctive, TAG_DISJUNCTIVE, 'disjunctive tag');
  report.eq(doc.tags.signature, TAG_SIGNATURE, 'signature tag');
  report.eq(doc.group, 'ristretto255', 'group name');
  report.eq(JSON.stringify(doc.checks), JSON.stringify(BV.CHECKS), 'checks, in order');

  doc.canonical_json.forEach((c, i) =>
    report.run(`canonical_json[${i}]`, () => {
      report.eq(BV.canonicalJson(c.value), c.canonical, `canonical_json[${i}]`);
      report.eq(bytesToHex(BV.canonicalJsonBytes(c.value)), c.utf8, `canonical_json[${i}] UTF-8`);
    })
  );

  const manifest = doc.manifest;
  const manifestBytes = BV.canonicalJsonBytes(manifest);
  report.eq(bytesToHex(sha256(manifestBytes)), doc.manifest_canonical_sha256, 'SHA-256 of the canonical manifest');
  const K = decodeElement(doc.joint_key.public, 'joint public key');
  const x = decodeScalar(doc.joint_key.secret, 'joint secret key');
  report.eq(hex(baseMul(x)), doc.joint_key.public, 'joint key = secret·G');
  const fpOwn = digest(BV.TAG_FINGERPRINT, [manifestBytes, TEXT.encode('ristretto255'), enc(G), enc(K)]);
  report.eq(bytesToHex(fpOwn), doc.fingerprint, 'fingerprint');
  const ctx = BV.electionContext(manifest, doc.joint_key.public);
  report.eq(bytesToHex(ctx.fingerprint), doc.fingerprint, 'fingerprint (ballot-verify.js)');
  const fp = hexToBytes(doc.fingerprint);

  // the credential, re-derived from the code as the voter types it
  const electionId = manifest.election_id;
  const cred = BV.deriveCredential(electionId, doc.credential.display);
  report.eq(cred.code, doc.credential.code, 'credential code');
  report.eq(scalarHex(cred.scalar), doc.credential.scalar, 'credential scalar');
  report.eq(cred.public, doc.credential.public, 'public credential');
  const s = hashToScalar(BV.TAG_CREDENTIAL, [TEXT.encode(electionId), TEXT.encode(doc.credential.code)]);
  report.eq(scalarHex(s), doc.credential.scalar, 'credential scalar (own hash_to_scalar)');
  report.eq(hex(baseMul(s)), doc.credential.public, 'public credential = s·G');
  const code = doc.credential.code;
  const typo = code.slice(0, 7) + (code[7] === 'A' ? 'B' : 'A') + code.slice(8);
  report.rejects('a credential code with a typo', () => BV.normaliseCode(typo));
  const credentialDistricts = new Map();
  for (const [d, list] of Object.entries(doc.published_credentials)) {
    report.ok(JSON.stringify(list) === JSON.stringify([...list].sort()), `credentials of ${d} sorted`);
    for (const h of list) {
      report.eq(hex(decodeElement(h, `credential of ${d}`)), h, `credential of ${d} decodes`);
      credentialDistricts.set(h, d);
    }
  }
  report.eq(credentialDistricts.get(doc.credential.public), doc.district, 'the voter is listed in the district');

  const style = BV.contestsFor(manifest, doc.district);
  report.eq(JSON.stringify(style), JSON.stringify(doc.ballot_style), 'ballot style');

  // the ballot verifies (ballot-verify.js), with the recorded tracking code and signed digest
  report.run('ballot: verify (ballot-verify.js)', () => {
    const out = BV.verifyBallot(ctx, doc.ballot, credentialDistricts);
    report.eq(out.trackingCode, doc.tracking_code, 'tracking code');
    report.eq(out.signedMessage, doc.signed_message, 'signed message digest');
  });
  const body = Object.fromEntries(Object.entries(doc.ballot).filter(([k]) => k !== 'signature'));
  report.eq(bytesToHex(sha256(TEXT.encode(BV.canonicalJson(body)))), doc.signed_message, 'signed message');
  report.eq(bytesToHex(sha256(TEXT.encode(BV.canonicalJson(doc.ballot)))), doc.tracking_code, 'tracking code');

  // the same ballot, re-verified with this file's own proof code, and decrypted
  const X = decodeElement(doc.ballot.credential, 'credential');
  const optionCtx = (id, j) => [fp, enc(X), TEXT.encode(id), indexBytes(j)];
  const rangeCtx = (id) => [fp, enc(X), TEXT.encode(id), TEXT.encode('total')];
  const weighted = (weights, cts) => {
    let [a, b] = [ZERO, ZERO];
    cts.forEach(([ca, cb], j) => {
      for (let k = 0; k < weights[j]; k++) [a, b] = [a.add(ca), b.add(cb)];
    });
    return [a, b];
  };
  report.run('ballot: own verification and decryption', () => {
    doc.ballot.contests.forEach((c, i) => {
      const st = style[i];
      const cts = c.choices.map((ch, j) => {
        const alpha = decodeElement(ch.alpha);
        const beta = decodeElement(ch.beta);
        const d = KINDS.disjunctive.decode({
          statement: { public_key: doc.joint_key.public, alpha: ch.alpha, beta: ch.beta, values: [0, 1] },
          context: [],
          proof: ch.proof,
        });
        report.ok(KINDS.disjunctive.verify({ ...d, ctx: optionCtx(c.id, j) }), `${c.id} option ${j}: 0/1 proof`);
        const plain = beta.subtract(mul(alpha, x));
        report.eq(hex(plain), doc.decryption[c.id][j], `${c.id} option ${j}: decryption`);
        report.eq(hex(plain), hex(baseMul(BigInt(doc.selection[c.id][j]))), `${c.id} option ${j}: decrypts to the selection`);
        return [alpha, beta];
      });
      const [ta, tb] = weighted(st.weights, cts);
      const total = doc.weighted_totals[c.id];
      report.eq(hex(ta), total.alpha, `${c.id}: weighted total alpha`);
      report.eq(hex(tb), total.beta, `${c.id}: weighted total beta`);
      report.eq(hex(tb.subtract(mul(ta, x))), hex(baseMul(BigInt(total.m))), `${c.id}: weighted total decrypts`);
      const rp = { cs: c.range_proof.challenges.map(decodeScalar), vs: c.range_proof.responses.map(decodeScalar) };
      const rd = { K, alpha: ta, beta: tb, values: st.allowed_totals, ctx: rangeCtx(c.id), ...rp };
      report.ok(KINDS.disjunctive.verify(rd), `${c.id}: range proof`);
    });
    const sig = KINDS.signature.decode({
      statement: { public: doc.ballot.credential, message: doc.signed_message },
      context: [{ hex: doc.fingerprint }],
      proof: doc.ballot.signature,
    });
    report.ok(KINDS.signature.verify(sig), 'signature');
    const marks = BV.decryptBallot(doc.joint_key.secret, doc.ballot);
    report.eq(JSON.stringify(marks), JSON.stringify(doc.selection), 'decryptBallot (ballot-verify.js)');
  });

  // re-encrypt the selection from the recorded RNG scalars, in encrypt_ballot's order of draws
  report.run('ballot: re-encryption from the RNG scalars', () => {
    const nonces = doc.rng_scalars.map((h) => decodeScalar(h, 'rng scalar'));
    let next = 0;
    const take = (n) => nonces.slice(next, (next += n));
    const contests = style.map((st) => {
      const marks = doc.selection[st.id];
      let totalR = 0n;
      let totalM = 0;
      const cts = [];
      const choices = marks.map((m, j) => {
        const [r] = take(1);
        const alpha = baseMul(r);
        const beta = mul(K, r).add(baseMul(BigInt(m)));
        cts.push([alpha, beta]);
        totalR += r * BigInt(st.weights[j]);
        totalM += m * st.weights[j];
        const d = { K, alpha, beta, values: [0, 1], ctx: optionCtx(st.id, j) };
        return { alpha: hex(alpha), beta: hex(beta), proof: KINDS.disjunctive.prove(d, { m, r: scalarHex(r) }, take(3)) };
      });
      const [ta, tb] = weighted(st.weights, cts);
      const values = st.allowed_totals;
      const d = { K, alpha: ta, beta: tb, values, ctx: rangeCtx(st.id) };
      const witness = { m: totalM, r: scalarHex(totalR) };
      return { id: st.id, choices, range_proof: KINDS.disjunctive.prove(d, witness, take(2 * values.length - 1)) };
    });
    const rebuilt = { election: doc.fingerprint, district: doc.district, credential: hex(baseMul(s)), contests };
    const message = sha256(TEXT.encode(BV.canonicalJson(rebuilt)));
    const signature = KINDS.signature.prove({ X: baseMul(s), message, ctx: [fp] }, { secret: scalarHex(s) }, take(1));
    report.eq(next, nonces.length, 're-encryption used every RNG scalar');
    report.eq(BV.canonicalJson({ ...rebuilt, signature }), BV.canonicalJson(doc.ballot), 'ballot re-encrypted byte for byte');
  });

  // the booth's encryptBallot (ballot-encrypt.js) makes the same ballot from the generator's seed
  report.run('ballot: encryptBallot (ballot-encrypt.js) from the seed', () => {
    const rng = new BOOTH.BE.DeterministicRng(`${doc.seed_prefix}ballot/encrypt`);
    const credential = BV.deriveCredential(manifest.election_id, doc.credential.code);
    const out = BOOTH.BE.encryptBallot(ctx, doc.district, doc.selection, credential, rng);
    report.eq(BV.canonicalJson(out.raw), BV.canonicalJson(doc.ballot), 'ballot re-encrypted by encryptBallot');
    report.eq(out.opening.contests.flatMap((c) => c.randomness).join(), rngOptionScalars(doc), 'encryptBallot opening');
  });

  // every tampered ballot is rejected, at the stated check
  const stages = new Set();
  for (const t of doc.tampered) {
    const what = `tampered "${t.name}"`;
    stages.add(t.rejected_by);
    report.run(what, () => {
      let tctx = ctx;
      if (t.manifest !== undefined) {
        tctx = BV.electionContext(t.manifest, doc.joint_key.public);
        report.eq(bytesToHex(tctx.fingerprint), t.fingerprint, `${what}: fingerprint of the changed manifest`);
        report.ok(t.fingerprint !== doc.fingerprint, `${what}: the changed manifest keeps the fingerprint`);
      }
      let rejected;
      try {
        BV.verifyBallot(tctx, t.ballot, t.without_credential_list ? null : credentialDistricts);
      } catch (e) {
        if (!(e instanceof BV.BallotRejected)) throw e;
        rejected = e;
      }
      if (!rejected) report.failures.push(`${what}: ACCEPTED, must be rejected at ${t.rejected_by}`);
      else report.eq(rejected.check, t.rejected_by, `${what}: rejected at (${rejected.message})`);
    });
  }
  for (const check of BV.CHECKS) report.ok(stages.has(check), `no tampered ballot rejected at ${check}`);

  // time the verification of one ballot (noble, this machine)
  report.run('ballot: timing', () => {
    const times = [];
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      BV.verifyBallot(ctx, doc.ballot, credentialDistricts);
      times.push(performance.now() - t0);
    }
    times.shift(); // warm-up
    times.sort((a, b) => a - b);
    const options = doc.ballot.contests.reduce((a, c) => a + c.choices.length, 0);
    report.note(
      `verify one ballot (${doc.ballot.contests.length} contests, ${options} options: ` +
        `${options} 0/1 proofs, ${doc.ballot.contests.length} range proofs, 1 signature) with ` +
        `ballot-verify.js: ${times[times.length >> 1].toFixed(1)} ms (median of ${times.length}; ` +
        `min ${times[0].toFixed(1)} ms)`
    );
  });
}

// dkg.json: a key ceremony with a founded complaint and a reconstruction. The transcript's
// proofs are the Python side's; here the ceremony's results are re-derived from the published
// shares and commitments with noble's group: every valid disclosed share against its dealer's
// Feldman commitments, the reconstruction by Lagrange interpolation, K and every X_j.
function lagrangeCoefficients(points) {
  let coefficients = points.map(() => 0n);
  for (const [j, y] of points) {
    let basis = [1n];
    let den = 1n;
    for (const [m] of points) {
      if (m === j) continue;
      basis = [0n, ...basis].map((a, k) => mod(a - m * (basis[k] ?? 0n)));
      den = mod(den * (j - m));
    }
    const factor = mod(y * invert(den));
    coefficients = coefficients.map((c, k) => mod(c + factor * basis[k]));
  }
  return coefficients;
}

function invert(a) {
  let [r, newR, t, newT] = [L, mod(a), 0n, 1n];
  while (newR !== 0n) {
    const q = r / newR;
    [r, newR] = [newR, r - q * newR];
    [t, newT] = [newT, t - q * newT];
  }
  return mod(t);
}

function commitmentAt(commitments, j) {
  return commitments.reduce((acc, A, k) => acc.add(mul(A, mod(BigInt(j) ** BigInt(k)))), ZERO);
}

function checkDkg(doc, report) {
  const t = doc.t;
  const feldman = new Map();
  for (const f of doc.feldman) {
    const commitments = f.commitments.map((c) => decodeElement(c));
    report.eq(commitments.length, t, `dealer ${f.dealer}: t commitments`);
    feldman.set(f.dealer, commitments);
    if (f.source === 'reconstruction') {
      const points = doc.judgements
        .filter((c) => c.dealer === f.dealer && !c.founded)
        .map((c) => [BigInt(c.recipient), decodeScalar(c.share)])
        .sort((p, q) => (p[0] < q[0] ? -1 : 1))
        .slice(0, t);
      report.eq(points.map((p) => Number(p[0])).join(), f.from_recipients.join(), `dealer ${f.dealer}: recipients`);
      const rebuilt = lagrangeCoefficients(points).map((a) => hex(baseMul(a)));
      report.eq(rebuilt.join(), f.commitments.join(), `dealer ${f.dealer}: reconstructed commitments`);
    }
  }
  report.eq([...feldman.keys()].join(), doc.qual.join(), 'QUAL');
  report.ok(!doc.qual.includes(doc.faulty_dealer), 'the faulty dealer is not in QUAL');
  report.ok(doc.judgements.some((c) => c.founded), 'a founded complaint');
  for (const c of doc.judgements) {
    if (c.founded || !feldman.has(c.dealer)) continue;
    const lhs = hex(baseMul(decodeScalar(c.share)));
    report.eq(lhs, hex(commitmentAt(feldman.get(c.dealer), c.recipient)), `share ${c.dealer}→${c.recipient}`);
  }
  const joint = [...Array(t).keys()].map((k) =>
    [...feldman.values()].reduce((acc, A) => acc.add(A[k]), ZERO)
  );
  report.eq(hex(joint[0]), doc.joint_public_key, 'joint public key K');
  report.eq(doc.transcript.joint_public_key, doc.joint_public_key, 'transcript K');
  for (let j = 1; j <= doc.n; j++) {
    report.eq(hex(commitmentAt(joint, j)), doc.verification_keys[String(j)], `X_${j}`);
    report.eq(hex(baseMul(decodeScalar(doc.secret_shares[String(j)]))), doc.verification_keys[String(j)], `x_${j}·G`);
  }
}

const CHECKERS = {
  'group.json': checkGroup,
  'hashing.json': checkHashing,
  'elgamal.json': checkElgamal,
  'proofs.json': checkProofs,
  'signatures.json': checkSignatures,
  'ballot.json': checkBallot,
  'dkg.json': checkDkg,
  'ballot_encrypt.json': (doc, report) => checkBallotEncrypt(BOOTH, doc, report),
  'board.json': (doc, report) => checkBoard(BOOTH, doc, report),
};

// --- main --------------------------------------------------------------------------------

// --only a.json,b.json checks just those files (a test that corrupts one file saves time).
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt < 0 ? null : (args.splice(onlyAt, 2)[1] ?? '').split(',');
const dir = resolve(args[0] ?? HERE);
if (!existsSync(dir)) setupError(`no such directory: ${dir}`);
const present = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && (only === null || only.includes(f)))
  .sort();
const reports = [];
for (const file of present) {
  const report = new Report(file);
  reports.push(report);
  const checker = CHECKERS[file];
  if (!checker) {
    report.failures.push('no checker for this file: add one to CHECKERS in crosscheck.mjs');
    continue;
  }
  report.run('check', () => {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    report.ok(typeof doc.description === 'string' && doc.description.length > 0, 'description');
    report.ok(typeof doc.generator === 'string' && doc.generator.length > 0, 'generator');
    checker(doc, report);
  });
}
for (const file of only ?? Object.keys(CHECKERS)) {
  if (!present.includes(file)) {
    const report = new Report(file);
    report.failures.push(`missing from ${dir}`);
    reports.push(report);
  }
}

let failed = 0;
for (const r of reports) {
  const status = r.failures.length ? 'FAIL' : 'ok  ';
  console.log(`${status} ${r.file.padEnd(16)} ${r.passed} checks passed, ${r.failures.length} failed`);
  for (const n of r.notes) console.log(`       ${n}`);
  for (const f of r.failures.slice(0, 20)) console.log(`       - ${f}`);
  if (r.failures.length > 20) console.log(`       ... and ${r.failures.length - 20} more`);
  failed += r.failures.length;
}
const total = reports.reduce((a, r) => a + r.passed, 0);
console.log(
  `crosscheck (@noble/curves, @noble/hashes; vectors in ${dir}): ` +
    `${total} checks passed, ${failed} failed`
);
process.exit(failed ? 1 : 0);
