// Check the bulletin board's answers in JavaScript (browser or Node ≥ 20): a port of
// src/saylau/protocol/board.py (signed tree heads, leaf hashes, inclusion proofs),
// protocol/receipt.py check_receipt, the leaf a cast ballot makes (protocol/events.py, as
// client/voting.py check_cast rebuilds it) and the look-up of a ballot by tracking code
// (GET /api/voting/<slug>/board/ballots/<code>). Pinned to the Python code by
// tests/vectors/board.json.
//
//   import { checkCast, checkLookup, BoardRejected } from './board-verify.js';
//   const cast = checkCast(ballotJson, castAnswerJson, boardPublicKeyHex, fingerprintHex);
//   const found = checkLookup(lookupJson, boardPublicKeyHex, fingerprintHex, trackingCode);
//   // → { leafIndex, time, kind, replacedBy, trackingCode, treeHead }
//
// The log id of an election's board is its fingerprint. Every failure throws
// BoardRejected(code, message); the codes:
//   key.shape          the board key or log id is not 32 bytes of lowercase hex
//   head.shape         the tree head is not {tree_size, timestamp, root_hash, signature}
//   head.signature     the board's Ed25519 signature on the head does not verify
//   inclusion.shape    the inclusion proof is not {leaf_index, tree_size, path}
//   inclusion.size     the proof is for another tree size than the head's
//   inclusion.index    the proof is for another leaf, or the index is outside the tree
//   inclusion.path     the path has the wrong length or does not lead to the head's root
//   receipt.shape, receipt.other_tracking_code, receipt.other_leaf    (a cast's answer)
//   leaf.shape, leaf.hash (leaf_hash is not H(0x00 || data)), leaf.data (not the canonical
//   JSON of a ballot event), leaf.kind, leaf.time, leaf.replaces, leaf.election,
//   leaf.tracking_code (the leaf's ballot is not the one asked for or claimed)
//   lookup.shape, lookup.replaced_by                                    (a look-up's answer)
//
// `replaced_by` is the server's word: proving it needs the replacing leaf, whose `replaces`
// must name this tracking code (look that code up and check it the same way).

import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { canonicalJson, equalBytes, frame, index, trackingCode } from './ballot-verify.js';

export const TREE_HEAD_TAG = 'saylau-v1/board/tree-head';
const TEXT = new TextEncoder();
const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
const BALLOT_KINDS = ['cast', 'revote'];

/** Every code a BoardRejected can carry. */
export const BOARD_CODES = Object.freeze([
  'key.shape',
  'head.shape',
  'head.signature',
  'inclusion.shape',
  'inclusion.size',
  'inclusion.index',
  'inclusion.path',
  'receipt.shape',
  'receipt.other_tracking_code',
  'receipt.other_leaf',
  'leaf.shape',
  'leaf.hash',
  'leaf.data',
  'leaf.kind',
  'leaf.time',
  'leaf.replaces',
  'leaf.election',
  'leaf.tracking_code',
  'lookup.shape',
  'lookup.replaced_by',
]);

/** A board answer failed the named check (see the list above). */
export class BoardRejected extends Error {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.name = 'BoardRejected';
    this.code = code;
  }
}

const reject = (code, message) => {
  throw new BoardRejected(code, message);
};

// --- hashes (protocol/merkle.py) ---------------------------------------------------------------

const bytesOf = (data) => (typeof data === 'string' ? TEXT.encode(data) : data);

/** SHA-256(0x00 || data); data a Uint8Array or a string (its UTF-8). */
export const leafHash = (data) => sha256(concatBytes(Uint8Array.of(0), bytesOf(data)));
export const nodeHash = (left, right) => sha256(concatBytes(Uint8Array.of(1), left, right));

// --- signed tree heads --------------------------------------------------------------------------

function object(x, keys, code, what) {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) reject(code, `${what}: expected an object`);
  const got = Object.keys(x).sort();
  if (got.join() !== [...keys].sort().join()) {
    reject(code, `${what}: expected fields ${keys.join(', ')}, got ${got.join(', ')}`);
  }
  return x;
}

/** A JSON integer the board can have written: in [0, 2^53) here (2^64 in Python). */
function count(x, code, what) {
  if (!Number.isSafeInteger(x) || x < 0) reject(code, `${what}: expected a non-negative integer`);
  return x;
}

function hexField(x, pattern, code, what) {
  if (typeof x !== 'string' || !pattern.test(x)) reject(code, `${what}: expected lowercase hex`);
  return hexToBytes(x);
}

const key32 = (h, what) => hexField(h, HEX64, 'key.shape', what);

/** {tree_size, timestamp, root_hash, signature} → parsed (treeSize, timestamp, rootHash,
 * signature as bytes); throws head.shape. */
export function parseTreeHead(json) {
  const o = object(json, ['tree_size', 'timestamp', 'root_hash', 'signature'], 'head.shape', 'tree_head');
  return {
    treeSize: count(o.tree_size, 'head.shape', 'tree_head.tree_size'),
    timestamp: count(o.timestamp, 'head.shape', 'tree_head.timestamp'),
    rootHash: hexField(o.root_hash, HEX64, 'head.shape', 'tree_head.root_hash'),
    signature: hexField(o.signature, HEX128, 'head.shape', 'tree_head.signature'),
  };
}

/** The 125 bytes the board signs: frame([tag, log_id, Index(size), Index(ms), root]). */
export const treeHeadMessage = (logId, treeSize, timestamp, rootHash) =>
  frame([TREE_HEAD_TAG, logId, index(treeSize), index(timestamp), rootHash]);

/** Check the board's signature on a tree head (JSON) for the log; returns the parsed head. */
export function verifyTreeHead(headJson, boardPublicKeyHex, logIdHex) {
  const publicKey = key32(boardPublicKeyHex, 'board public key');
  const logId = key32(logIdHex, 'log id');
  const head = parseTreeHead(headJson);
  const message = treeHeadMessage(logId, head.treeSize, head.timestamp, head.rootHash);
  let valid = false;
  try {
    valid = ed25519.verify(head.signature, message, publicKey, { zip215: false });
  } catch {
    valid = false;
  }
  if (!valid) {
    reject('head.signature', `tree head (size ${head.treeSize}): the board signature does not verify`);
  }
  return head;
}

// --- inclusion proofs (protocol/merkle_proofs.py, RFC 9162 2.1.3.2) ------------------------------

/** The largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function inclusionLength(index_, size) {
  let [n, m, length] = [size, index_, 0];
  while (n > 1) {
    const k = splitPoint(n);
    [n, m] = m < k ? [k, m] : [n - k, m - k];
    length++;
  }
  return length;
}

/** Check that `path` (hashes as bytes) leads from leaf `index_` to `root` of the tree of `size`. */
export function verifyInclusion(leafHashBytes, index_, size, path, root) {
  if (!(index_ >= 0 && index_ < size)) reject('inclusion.index', `leaf ${index_} is not in a tree of size ${size}`);
  const expected = inclusionLength(index_, size);
  if (path.length !== expected) {
    reject('inclusion.path', `the proof of leaf ${index_} in size ${size} has ${path.length} hashes, expected ${expected}`);
  }
  // RFC 9162 2.1.3.2 with numbers: sizes stay below 2^53, so halving is exact.
  let [fn, sn, r] = [index_, size - 1, leafHashBytes];
  for (const p of path) {
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  if (sn !== 0 || !equalBytes(r, root)) {
    reject('inclusion.path', `leaf ${index_} with this proof does not hash to the root of size ${size}`);
  }
}

/** {leaf_index, tree_size, path} → parsed; throws inclusion.shape. */
export function parseInclusionProof(json) {
  const o = object(json, ['leaf_index', 'tree_size', 'path'], 'inclusion.shape', 'inclusion_proof');
  if (!Array.isArray(o.path)) reject('inclusion.shape', 'inclusion_proof.path: expected a list');
  return {
    leafIndex: count(o.leaf_index, 'inclusion.shape', 'inclusion_proof.leaf_index'),
    treeSize: count(o.tree_size, 'inclusion.shape', 'inclusion_proof.tree_size'),
    path: o.path.map((h, i) => hexField(h, HEX64, 'inclusion.shape', `inclusion_proof.path[${i}]`)),
  };
}

/** The head's signature, then the inclusion of `leaf` (at `leafIndex`, if given) under it:
 * receipt.py check_receipt for any head and proof. Returns the parsed head and proof. */
function checkIncluded(headJson, proofJson, leaf, boardPublicKeyHex, logIdHex, leafIndex = null) {
  const head = verifyTreeHead(headJson, boardPublicKeyHex, logIdHex);
  const proof = parseInclusionProof(proofJson);
  if (leafIndex !== null && proof.leafIndex !== leafIndex) {
    reject('inclusion.index', `the proof is for leaf ${proof.leafIndex}, not ${leafIndex}`);
  }
  if (proof.treeSize !== head.treeSize) {
    reject('inclusion.size', `the proof is for size ${proof.treeSize}, the head for ${head.treeSize}`);
  }
  verifyInclusion(leafHash(leaf), proof.leafIndex, proof.treeSize, proof.path, head.rootHash);
  return { head, proof };
}

// --- receipts and casts (protocol/receipt.py, events.py, client/voting.py check_cast) ------------

/** The leaf's text of a cast (or, with `replaces`, revote) event: its canonical JSON. */
export function ballotLeaf(ballotRaw, time, replaces = null) {
  const event =
    replaces == null
      ? { type: 'cast', time, ballot: ballotRaw }
      : { type: 'revote', time, replaces, ballot: ballotRaw };
  return canonicalJson(event);
}

function receiptShape(json) {
  const r = object(json, ['tracking_code', 'tree_head', 'inclusion_proof'], 'receipt.shape', 'receipt');
  if (typeof r.tracking_code !== 'string' || !HEX64.test(r.tracking_code)) {
    reject('receipt.shape', 'receipt.tracking_code: expected 64 lowercase hex characters');
  }
  return r;
}

/** A receipt {tracking_code, tree_head, inclusion_proof} checked for `leaf` (bytes or text):
 * the head's signature and the inclusion under it. Returns { trackingCode, head, proof }. */
export function checkReceipt(receiptJson, leaf, boardPublicKeyHex, logIdHex) {
  const r = receiptShape(receiptJson);
  const { head, proof } = checkIncluded(r.tree_head, r.inclusion_proof, leaf, boardPublicKeyHex, logIdHex);
  return { trackingCode: r.tracking_code, head, proof };
}

function castAnswer(answer) {
  const a = object(answer, ['receipt', 'leaf_index', 'kind', 'time', 'replaces', 'repeat'], 'receipt.shape', 'answer');
  count(a.leaf_index, 'receipt.shape', 'answer.leaf_index');
  count(a.time, 'receipt.shape', 'answer.time');
  if (!BALLOT_KINDS.includes(a.kind)) reject('receipt.shape', 'answer.kind: expected cast or revote');
  if (a.replaces !== null && !(typeof a.replaces === 'string' && HEX64.test(a.replaces))) {
    reject('receipt.shape', 'answer.replaces: expected null or a tracking code');
  }
  if ((a.kind === 'revote') !== (a.replaces !== null)) {
    reject('receipt.shape', 'answer: a revote, and only a revote, replaces a ballot');
  }
  if (typeof a.repeat !== 'boolean') reject('receipt.shape', 'answer.repeat: expected true or false');
  return a;
}

/**
 * Check the server's answer to the cast of `ballotRaw` (POST .../ballots): the receipt names
 * this ballot's tracking code and the answer's leaf, the head is signed by the board and the
 * leaf rebuilt here from the ballot, time and replaces is included under it.
 */
export function checkCast(ballotRaw, answer, boardPublicKeyHex, logIdHex) {
  const a = castAnswer(answer);
  const receipt = receiptShape(a.receipt);
  const proof = parseInclusionProof(receipt.inclusion_proof);
  const code = trackingCode(ballotRaw);
  const leaf = ballotLeaf(ballotRaw, a.time, a.replaces);
  if (receipt.tracking_code !== code) reject('receipt.other_tracking_code', 'the receipt names another tracking code');
  if (proof.leafIndex !== a.leaf_index) reject('receipt.other_leaf', 'the receipt names another leaf index');
  const { head } = checkReceipt(a.receipt, leaf, boardPublicKeyHex, logIdHex);
  return {
    trackingCode: code,
    leafIndex: a.leaf_index,
    kind: a.kind,
    time: a.time,
    replaces: a.replaces,
    repeat: a.repeat,
    leaf,
    treeHead: head,
  };
}

// --- the look-up of a ballot by tracking code --------------------------------------------------

const LEAF_KEYS = ['index', 'kind', 'time', 'tracking_code', 'replaces', 'leaf_hash', 'data'];

/** The event in a leaf's text: the canonical JSON of a cast or revote with this kind, time,
 * replaces and the ballot of this election whose code it claims. */
function checkLeafEvent(leaf, logIdHex) {
  let event;
  try {
    event = JSON.parse(leaf.data);
  } catch {
    reject('leaf.data', 'the leaf is not JSON');
  }
  let canonical = null;
  try {
    canonical = canonicalJson(event);
  } catch {
    canonical = null;
  }
  if (canonical !== leaf.data) reject('leaf.data', 'the leaf is not canonical JSON');
  if (event === null || typeof event !== 'object' || Array.isArray(event)) reject('leaf.data', 'the leaf is not an event');
  const keys = event.type === 'revote' ? ['ballot', 'replaces', 'time', 'type'] : ['ballot', 'time', 'type'];
  if (Object.keys(event).sort().join() !== keys.join() || event.ballot === null || typeof event.ballot !== 'object') {
    reject('leaf.data', 'the leaf is not a cast or revote event');
  }
  if (event.type !== leaf.kind) reject('leaf.kind', `the leaf is a ${event.type}, the answer says ${leaf.kind}`);
  if (event.time !== leaf.time) reject('leaf.time', "the leaf's time is not the answer's");
  if ((event.replaces ?? null) !== leaf.replaces) reject('leaf.replaces', "the leaf replaces another ballot than the answer's");
  if (event.ballot?.election !== logIdHex) reject('leaf.election', "the leaf's ballot is for another election");
  if (trackingCode(event.ballot) !== leaf.tracking_code) {
    reject('leaf.tracking_code', "the leaf's ballot does not have the tracking code the answer gives");
  }
}

function lookupLeaf(json) {
  const leaf = object(json, LEAF_KEYS, 'leaf.shape', 'leaf');
  count(leaf.index, 'leaf.shape', 'leaf.index');
  count(leaf.time, 'leaf.shape', 'leaf.time');
  if (typeof leaf.data !== 'string') reject('leaf.shape', 'leaf.data: expected a string');
  hexField(leaf.tracking_code, HEX64, 'leaf.shape', 'leaf.tracking_code');
  if (leaf.replaces !== null) hexField(leaf.replaces, HEX64, 'leaf.shape', 'leaf.replaces');
  if (!BALLOT_KINDS.includes(leaf.kind)) reject('leaf.kind', `a ${leaf.kind} leaf holds no ballot`);
  if (!equalBytes(hexField(leaf.leaf_hash, HEX64, 'leaf.shape', 'leaf.leaf_hash'), leafHash(leaf.data))) {
    reject('leaf.hash', 'leaf_hash is not SHA-256(0x00 || data)');
  }
  return leaf;
}

/**
 * Check the board's answer to a look-up by tracking code: the leaf holds a ballot of this
 * election with that code (`trackingCode`, the code asked for: pass it), the board signed the
 * head, and the leaf is included under it. Returns { leafIndex, time, kind, replacedBy,
 * trackingCode, treeHead }.
 */
export function checkLookup(lookupJson, boardPublicKeyHex, logIdHex, trackingCodeAsked = null) {
  const o = object(lookupJson, ['leaf', 'tree_head', 'inclusion_proof', 'replaced_by'], 'lookup.shape', 'answer');
  key32(boardPublicKeyHex, 'board public key');
  key32(logIdHex, 'log id');
  const leaf = lookupLeaf(o.leaf);
  if (trackingCodeAsked != null && leaf.tracking_code !== String(trackingCodeAsked).toLowerCase()) {
    reject('leaf.tracking_code', 'the answer is about another tracking code');
  }
  checkLeafEvent(leaf, logIdHex);
  const replacedBy = o.replaced_by;
  if (replacedBy !== null && !(typeof replacedBy === 'string' && HEX64.test(replacedBy) && replacedBy !== leaf.tracking_code)) {
    reject('lookup.replaced_by', 'replaced_by: expected null or another tracking code');
  }
  const { head } = checkIncluded(o.tree_head, o.inclusion_proof, leaf.data, boardPublicKeyHex, logIdHex, leaf.index);
  return {
    leafIndex: leaf.index,
    time: leaf.time,
    kind: leaf.kind,
    replacedBy,
    trackingCode: leaf.tracking_code,
    treeHead: head,
  };
}

