// "Check my ballot" (voting/check.html): the browser looks a tracking code up on the board
// (GET /api/voting/<slug>/board/ballots/<code>) and verifies the answer itself: the board's
// signature on the tree head (key and log id from GET /api/voting/<slug>, the log id being the
// fingerprint this page recomputes from the manifest and the joint key), the leaf's inclusion
// under it, the leaf's tracking code, and, when the server says a re-vote replaced the ballot,
// that re-vote the same way. Every text comes from the page's data island (#check-data), in
// the page's language; the code comes from the form or the fragment (#<64 hex>, as in the
// receipt's QR code), never from the query string.

import { bytesToHex } from '@noble/hashes/utils.js';
import { fingerprint } from '../ballot-verify.js';
import { BoardRejected, checkLookup } from '../board-verify.js';
import { localTime } from '../local-time.js';

const CODE = /^[0-9a-f]{64}$/;

/** A tracking code as typed (spaces, capitals) → its canonical form, or null. */
export function normaliseTrackingCode(text) {
  const code = String(text).replace(/\s+/g, '').toLowerCase();
  return CODE.test(code) ? code : null;
}

/** A check that failed, with the message key the page shows for it. */
class CheckFailed extends Error {
  constructor(key, detail = '') {
    super(detail || key);
    this.key = key;
    this.detail = detail;
  }
}

/** The answer's JSON, or null for a 404; CheckFailed('network') when there is no answer. */
async function getJson(url) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch (error) {
    throw new CheckFailed('network', String(error));
  }
  if (response.status === 404) return null;
  if (!response.ok) throw new CheckFailed('network', `HTTP ${response.status}`);
  try {
    return await response.json();
  } catch (error) {
    throw new CheckFailed('fail.other', String(error));
  }
}

function failureKey(error, messages) {
  const key = `fail.${String(error.code).split('.')[0]}`;
  return key in messages ? key : 'fail.other';
}

/** Verify the board's answer for one code: checkLookup's result plus the head it used. */
function verified(lookup, code, election, logId, messages) {
  try {
    const found = checkLookup(lookup, election.board_public_key, logId, code);
    return { ...found, head: lookup.tree_head };
  } catch (error) {
    if (error instanceof BoardRejected) {
      throw new CheckFailed(failureKey(error, messages), error.message); // "code: what"
    }
    throw new CheckFailed('fail.other', String(error));
  }
}

/** The board's key and log id: the log id is the fingerprint recomputed here. */
async function boardIdentity(data) {
  const election = await getJson(data.election_url);
  if (election === null || !election.joint_public_key || !election.board_public_key) {
    throw new CheckFailed('not_open');
  }
  let logId;
  try {
    logId = bytesToHex(fingerprint(election.manifest, election.joint_public_key));
  } catch (error) {
    throw new CheckFailed('fail.election', String(error));
  }
  if (logId !== election.fingerprint) {
    throw new CheckFailed('fail.election', `${logId} ≠ ${election.fingerprint}`);
  }
  return { election, logId };
}

/** The full check of `code`: { code, leafIndex, time, kind, replacedBy, head, boardKey }. */
export async function checkBallot(data, code) {
  const { election, logId } = await boardIdentity(data);
  const url = (c) => data.ballot_url.replace(data.code_slot, c);
  const lookup = await getJson(url(code));
  if (lookup === null) throw new CheckFailed('not_found');
  const found = verified(lookup, code, election, logId, data.messages);
  if (found.replacedBy) {
    // The server's word, until the replacing leaf (checked the same way) names this code.
    const newer = await getJson(url(found.replacedBy));
    if (newer === null) throw new CheckFailed('fail.replaced', `${found.replacedBy}: 404`);
    try {
      verified(newer, found.replacedBy, election, logId, data.messages);
    } catch (error) {
      throw new CheckFailed('fail.replaced', error.detail);
    }
    if (newer.leaf.kind !== 'revote' || newer.leaf.replaces !== code) {
      throw new CheckFailed('fail.replaced', `leaf.replaces: ${newer.leaf.replaces}`);
    }
  }
  return { code, ...found, boardKey: election.board_public_key };
}

// --- the page -------------------------------------------------------------------------------

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function timeElement(ms, data) {
  const { text, zone, iso } = localTime(ms, data.time);
  const node = element('time', `${text} `, { datetime: iso });
  node.append(element('span', `(${zone})`, { class: 'zone' }));
  return node;
}

function row(header, ...cells) {
  const tr = element('tr');
  tr.append(element('th', header, { scope: 'row' }));
  const td = element('td');
  td.append(...cells);
  tr.append(td);
  return tr;
}

function code(text) {
  return element('code', text);
}

/** A table in a box that scrolls sideways on a phone: a labelled region the keyboard reaches. */
function table(rows, label) {
  const box = element('div', null, { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': label });
  const t = element('table');
  const body = element('tbody');
  body.append(...rows);
  t.append(body);
  box.append(t);
  return box;
}

function verdict(ok, title, detail) {
  const box = element('div', null, {
    class: ok ? 'verdict verdict-ok' : 'verdict verdict-bad',
    tabindex: '-1',
    'data-verdict': ok ? 'verified' : 'failed',
  });
  box.append(element('p', null), element('p', detail));
  box.firstChild.append(element('strong', title));
  return box;
}

function showVerified(region, result, data) {
  const m = data.messages;
  const status = result.replacedBy ? element('span', m.superseded) : element('span', m.latest);
  const rows = [
    row(m.leaf, m.leaf_of.replace('%(index)s', result.leafIndex).replace('%(size)s', result.head.tree_size)),
    row(m.recorded, timeElement(result.time, data)),
    row(m.kind, m[`kind.${result.kind}`] || result.kind),
    row(m.status, status),
  ];
  if (result.replacedBy) {
    const link = element('a', m.check_newer, { href: `#${result.replacedBy}` });
    rows.at(-1).lastChild.append(' ', link);
  }
  const head = [
    row(m.head_size, result.head.tree_size),
    row(m.head_time, timeElement(result.head.timestamp, data)),
    row(m.root, code(result.head.root_hash)),
    row(m.board_key, code(result.boardKey)),
  ];
  const box = verdict(true, m.verified, m.verified_detail);
  box.dataset.code = result.code;
  region.replaceChildren(box, table(rows, m.ballot), element('h3', m.head), table(head, m.head));
  box.focus();
}

function showFailure(region, failure, data) {
  const m = data.messages;
  if (['network', 'not_found', 'not_open'].includes(failure.key)) {
    const box = element('p', m[failure.key], { class: 'error', 'data-verdict': failure.key });
    region.replaceChildren(box);
    return;
  }
  const box = verdict(false, m.failed, m[failure.key] || m['fail.other']);
  box.append(element('p', m.failed_detail));
  const details = element('details');
  details.append(element('summary', m.technical), code(failure.detail || failure.key));
  box.append(details);
  region.replaceChildren(box);
  box.focus();
}

function start() {
  const island = document.getElementById('check-data');
  const form = document.getElementById('check-form');
  if (!island || !form) return;
  const data = JSON.parse(island.textContent);
  data.time = JSON.parse(document.getElementById('time-data').textContent);
  const input = form.querySelector('#id_code');
  const error = form.querySelector('#id_code_error');
  const region = document.getElementById('check-result');
  let current = 0;

  const invalid = (yes) => {
    error.hidden = !yes;
    error.textContent = yes ? data.messages.invalid : '';
    input.setAttribute('aria-invalid', yes ? 'true' : 'false');
    const ids = ['id_code_helptext', ...(yes ? ['id_code_error'] : [])];
    input.setAttribute('aria-describedby', ids.join(' '));
  };

  const run = async (code) => {
    const mine = ++current;
    region.setAttribute('aria-busy', 'true');
    region.replaceChildren(element('p', data.messages.checking, { 'data-verdict': 'checking' }));
    try {
      const result = await checkBallot(data, code);
      if (mine === current) showVerified(region, result, data);
    } catch (failure) {
      const known = failure instanceof CheckFailed ? failure : new CheckFailed('fail.other', String(failure));
      if (mine === current) showFailure(region, known, data);
    } finally {
      if (mine === current) region.removeAttribute('aria-busy');
    }
  };

  const fromFragment = () => {
    const code = normaliseTrackingCode(decodeURIComponent(window.location.hash.slice(1)));
    if (code === null) return;
    input.value = code;
    invalid(false);
    run(code);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = normaliseTrackingCode(input.value);
    if (code === null) {
      invalid(true);
      region.replaceChildren();
      input.focus();
      return;
    }
    invalid(false);
    input.value = code;
    if (window.location.hash.slice(1) === code) run(code);
    else window.location.hash = code; // hashchange runs the check; the URL can be shared
  });
  window.addEventListener('hashchange', fromFragment);
  fromFragment();
}

if (typeof document !== 'undefined') start();
