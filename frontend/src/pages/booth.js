// The voting booth (voting/templates/voting/booth.html): credential code → ballot → review →
// encryption in a Web Worker → cast, or challenge (open, check, discard, encrypt again) →
// receipt. Everything it shows comes from the page's data island (#booth-data): the election's
// public parameters, the voter's public credential, the URLs it calls and its strings in the
// page's language. The credential code and the marks never leave this device; only the
// encrypted, signed ballot is sent.

import { deriveCredential, normaliseCode } from '../ballot-verify.js';
import { Outcome, askBoard, sendBallot } from '../booth/cast.js';
import { takeCarriedCode, takeCodeFromFragment } from '../booth/code-link.js';
import { problemOf, wireContest } from '../booth/marks.js';
import { receiptOf, showReceipt } from '../booth/receipt.js';
import { stash, unstash } from '../booth/state.js';
import { say, translator } from '../booth/text.js';
import { BoothWorker } from '../booth/worker.js';

const fragmentCode = takeCodeFromFragment(); // first of all: out of the address bar
const data = JSON.parse(document.getElementById('booth-data').textContent);
const carriedCode = takeCarriedCode(data.slug); // a link opened before sign-in
const linkCode = fragmentCode ?? carriedCode;
const timeData = JSON.parse(document.getElementById('time-data').textContent);
const t = translator(data.strings);
const contests = data.contests;
const STEPS = ['code', 'ballot', 'review', 'encrypt', 'challenge', 'cast', 'receipt'];
const $ = (id) => document.getElementById(id);

const state = {
  step: 'code',
  code: null, // the normalised credential code, once checked
  marks: contests.map((c) => c.options.map(() => 0)),
  current: null, // { ballot, trackingCode, opening }: the encryption that may be cast
  challenged: new Set(), // tracking codes of opened encryptions: never cast
  pending: null, // the encryption being cast (until its outcome is known)
};
let worker = null;

function tell(text) {
  say('booth-alert', text);
}

function show(step, { focus = true } = {}) {
  state.step = step;
  for (const name of STEPS) $(`step-${name}`).hidden = name !== step;
  if (focus) $(`step-${step}-title`).focus();
}

// --- step 1: the credential code ----------------------------------------------------------------

class CodeProblem extends Error {}

/** The normalised code if it is well formed and the voter's own; CodeProblem(key) otherwise. */
function checkCode(text) {
  let code;
  try {
    code = normaliseCode(text);
  } catch {
    throw new CodeProblem(text.trim() ? 'code.typo' : 'code.empty');
  }
  if (deriveCredential(data.manifest.election_id, code).public !== data.credential) {
    throw new CodeProblem('code.not_yours');
  }
  return code;
}

function codeError(key) {
  const input = $('credential-code');
  say('credential-code-error', key ? t(key) : null);
  input.setAttribute('aria-invalid', key ? 'true' : 'false');
  input.setAttribute('aria-describedby', key ? 'credential-code-help credential-code-error' : 'credential-code-help');
  if (key) input.focus();
}

function submitCode(event) {
  event.preventDefault();
  try {
    state.code = checkCode($('credential-code').value);
  } catch (error) {
    if (!(error instanceof CodeProblem)) throw error;
    codeError(error.message);
    return;
  }
  codeError(null);
  show('ballot');
}

// --- step 2 and 3: marks and review -------------------------------------------------------------

const wired = contests.map((contest, i) =>
  wireContest(document.querySelector(`fieldset[data-contest="${i}"]`), contest, i, t)
);

function submitMarks(event) {
  event.preventDefault();
  const marks = wired.map((w) => w.marks());
  let first = null;
  contests.forEach((contest, i) => {
    const problem = problemOf(contest, marks[i]);
    const text =
      problem === null
        ? null
        : problem === 'too_few'
          ? t('ballot.too_few', { contest: contest.name, min: contest.min })
          : t('ballot.broken_rule', { contest: contest.name });
    say(`contest-error-${i}`, text);
    if (text && first === null) first = i;
  });
  if (first !== null) {
    document.querySelector(`fieldset[data-contest="${first}"] input`).focus();
    return;
  }
  state.marks = marks;
  fillMarks('review-list', marks);
  show('review');
}

/** A <dl>: each contest's name, then the options marked, each with its party (or "blank"). */
function fillMarks(id, marks) {
  const list = $(id);
  list.replaceChildren();
  contests.forEach((contest, i) => {
    const term = document.createElement('dt');
    term.textContent = contest.name;
    list.append(term);
    const named = contest.options.map((name, j) =>
      contest.parties?.[j] ? `${name} (${contest.parties[j]})` : name
    );
    const chosen = named.filter((_, j) => marks[i][j] === 1);
    for (const name of chosen.length ? chosen : [t('review.blank')]) {
      const item = document.createElement('dd');
      item.textContent = name;
      list.append(item);
    }
  });
}

// --- step 4: encryption, challenge ----------------------------------------------------------------

function boothWorker() {
  if (worker === null) worker = new BoothWorker(data.urls.worker);
  return worker;
}

function election() {
  return { manifest: data.manifest, jointPublicKey: data.joint_public_key };
}

async function encrypt() {
  show('encrypt');
  $('encrypt-ready').hidden = true;
  const progress = $('encrypt-progress');
  progress.value = 0;
  say('encrypt-status', null);
  const selections = Object.fromEntries(contests.map((c, i) => [c.id, state.marks[i]]));
  let result;
  try {
    result = await boothWorker().run(
      { op: 'encrypt', ...election(), district: data.district, credentialCode: state.code, selections },
      (done, total) => {
        progress.max = total;
        progress.value = done;
        say('encrypt-status', t('encrypt.progress', { done, total }));
      }
    );
  } catch {
    tell(t('encrypt.no_worker'));
    return;
  }
  if (!result.ok) {
    if (result.code === 'credential.invalid') {
      show('code');
      codeError('code.typo');
    } else {
      say('encrypt-status', t('encrypt.failed', { code: result.code }));
    }
    return;
  }
  state.current = { ballot: result.ballot, trackingCode: result.trackingCode, opening: result.opening };
  say('encrypt-status', t('encrypt.done', { ms: Math.round(result.ms) }));
  say('ready-code', result.trackingCode);
  $('encrypt-ready').hidden = false;
}

async function challenge() {
  const opened = state.current;
  if (!opened) return;
  state.current = null; // discarded: this encryption can never be cast
  state.challenged.add(opened.trackingCode);
  show('challenge');
  say('challenge-copied', null);
  $('challenge-list').replaceChildren();
  $('challenge-opening').value = JSON.stringify(
    {
      election: data.slug,
      fingerprint: data.fingerprint,
      joint_public_key: data.joint_public_key,
      tracking_code: opened.trackingCode,
      ballot: opened.ballot,
      opening: opened.opening,
    },
    null,
    2
  );
  const result = await boothWorker().run({ op: 'open', ...election(), ballot: opened.ballot, opening: opened.opening });
  const line = $('challenge-result');
  if (!result.ok) {
    line.textContent = t('challenge.failed', { code: result.code });
    line.className = 'error';
    return;
  }
  const recovered = contests.map((c) => result.marks[c.id]);
  const same = recovered.every((marks, i) => JSON.stringify(marks) === JSON.stringify(state.marks[i]));
  line.textContent = t(same ? 'challenge.match' : 'challenge.mismatch');
  line.className = same ? 'notice' : 'error';
  fillMarks('challenge-list', recovered.map((m, i) => m ?? contests[i].options.map(() => 0)));
}

async function copyOpening() {
  const box = $('challenge-opening');
  try {
    await navigator.clipboard.writeText(box.value);
    say('challenge-copied', t('challenge.copied'));
  } catch {
    box.focus();
    box.select();
    say('challenge-copied', t('challenge.copy_failed'));
  }
}

// --- step 5: cast, and what happened --------------------------------------------------------------

const CAST_BUTTONS = ['ask-board-button', 'retry-button', 'sign-in-link', 'restart-button'];

function castButtons(...visible) {
  for (const id of CAST_BUTTONS) $(id).hidden = !visible.includes(id);
}

async function cast() {
  const ballot = state.current;
  if (!ballot || state.challenged.has(ballot.trackingCode)) return; // a challenged one: never
  state.current = null;
  state.pending = ballot;
  await send();
}

async function send() {
  show('cast');
  castButtons();
  delete $('step-cast').dataset.outcome;
  say('cast-status', t('cast.sending'));
  const { ballot, trackingCode } = state.pending;
  settle(await sendBallot(data, ballot, trackingCode, () => say('cast-status', t('cast.asking'))));
}

async function askAgain() {
  castButtons();
  delete $('step-cast').dataset.outcome;
  say('cast-status', t('cast.asking'));
  settle(await askBoard(data, state.pending.trackingCode));
}

async function settle(result) {
  $('step-cast').dataset.outcome = result.outcome; // what the cast came to (for the tests)
  switch (result.outcome) {
    case Outcome.RECORDED:
    case Outcome.FOUND:
      state.pending = null;
      say('receipt-note', result.outcome === Outcome.FOUND ? t('cast.recorded_anyway') : null);
      await showReceipt(data, receiptOf(result), t, timeData);
      show('receipt');
      return;
    case Outcome.NOT_RECORDED:
      say('cast-status', t('cast.not_recorded'));
      castButtons('retry-button');
      return;
    case Outcome.UNKNOWN:
      say('cast-status', t('cast.board_unreachable'));
      castButtons('ask-board-button');
      return;
    case Outcome.SIGNED_OUT:
      state.pending = null;
      say('cast-status', t('cast.session_expired'));
      castButtons('sign-in-link');
      return;
    default: // REFUSED: the server stored nothing
      state.pending = null;
      say('cast-status', `${result.message} ${t('cast.refused')}`);
      castButtons(...(result.status === 409 ? [] : ['restart-button']));
  }
}

// --- a switch of language keeps the step, the code and the marks ---------------------------------

function keepAcrossLanguageSwitch() {
  const step = state.step === 'code' || state.step === 'ballot' ? state.step : 'review';
  const marks = step === 'ballot' ? wired.map((w) => w.marks()) : state.marks;
  stash(data.slug, { step, code: state.code, marks });
}

function restore() {
  const kept = unstash(data.slug, contests, (code) => checkCode(code));
  if (kept === null) return 'code';
  if (kept === 'invalid') {
    tell(t('state.discarded'));
    return 'code';
  }
  state.code = kept.code;
  if (kept.code) $('credential-code').value = kept.code;
  state.marks = kept.marks;
  wired.forEach((w, i) => w.set(kept.marks[i]));
  if (kept.step === 'review') fillMarks('review-list', kept.marks);
  return kept.step;
}

// --- wiring -------------------------------------------------------------------------------------

function start() {
  $('code-form').addEventListener('submit', submitCode);
  $('ballot-form').addEventListener('submit', submitMarks);
  for (const back of document.querySelectorAll('[data-go]')) {
    back.addEventListener('click', () => show(back.dataset.go));
  }
  $('encrypt-button').addEventListener('click', encrypt);
  $('reencrypt-button').addEventListener('click', encrypt);
  $('challenge-button').addEventListener('click', challenge);
  $('cast-button').addEventListener('click', cast);
  $('copy-button').addEventListener('click', copyOpening);
  $('retry-button').addEventListener('click', send);
  $('ask-board-button').addEventListener('click', askAgain);
  $('restart-button').addEventListener('click', () => show('ballot'));
  $('print-button').addEventListener('click', () => window.print());
  document.querySelector('nav.languages form')?.addEventListener('submit', keepAcrossLanguageSwitch);
  wired.forEach((w) => w.update());
  const step = restore();
  if (linkCode !== null && step === 'code') $('credential-code').value = linkCode;
  show(step, { focus: step !== 'code' });
  document.body.dataset.booth = 'ready'; // for the tests: the script has run
}

start();
