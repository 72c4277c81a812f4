// What survives a switch of the page's language (a reload of the page in another language):
// the step, the credential code and the marks, kept in this tab's sessionStorage only from
// the switch until the new page reads it back (it removes it at once). What is read back is
// checked as if typed again; anything else is discarded and the voter is told.

import { problemOf } from './marks.js';

const VERSION = 1;
const STEPS = ['code', 'ballot', 'review'];
const key = (slug) => `saylau.booth.${slug}`;

/** Forget the stashed state of election `slug` (on sign-out). */
export function forget(slug) {
  try {
    sessionStorage.removeItem(key(slug));
  } catch {
    // storage refused: nothing was kept
  }
}

export function stash(slug, state) {
  try {
    sessionStorage.setItem(key(slug), JSON.stringify({ v: VERSION, ...state }));
  } catch {
    // storage refused (private mode): the new page starts at the first step
  }
}

/** The stashed state, checked with `checkCode` (code → normalised code, or throws): null when
 * nothing was stashed, 'invalid' when it does not hold. Removed once read. */
export function unstash(slug, contests, checkCode) {
  let text = null;
  try {
    text = sessionStorage.getItem(key(slug));
    sessionStorage.removeItem(key(slug));
  } catch {
    return null;
  }
  if (text === null) return null;
  try {
    const state = JSON.parse(text);
    if (state?.v !== VERSION || !STEPS.includes(state.step)) return 'invalid';
    const code = state.code == null ? null : checkCode(String(state.code));
    if (state.step !== 'code' && code === null) return 'invalid';
    const marks = state.marks;
    if (!Array.isArray(marks) || marks.length !== contests.length) return 'invalid';
    const needValid = state.step === 'review';
    for (const [i, contest] of contests.entries()) {
      const problem = problemOf(contest, marks[i]);
      if (problem === 'shape' || problem === 'rule' || (needValid && problem)) return 'invalid';
    }
    return { step: state.step, code, marks };
  } catch {
    return 'invalid';
  }
}
