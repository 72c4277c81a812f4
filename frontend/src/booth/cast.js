// Casting from the booth, and finding out what happened when the answer is lost.
//
// The ballot goes to the page's cast URL (the web session's cookie and CSRF token; the server's
// one cast path). A 201/200 answer is checked here (checkCast: the board's signature on the head
// and the inclusion of the leaf rebuilt from this ballot). A refusal (4xx with the site's error
// body) is final: the server stored nothing. Anything else — no answer, a 5xx, a body that is
// not the server's — leaves it unknown whether the ballot was recorded, so the booth asks the
// public board for the ballot's tracking code before it offers to send it again (and sending
// the same ballot again never records it twice: the server answers with its receipt).

import { canonicalJson } from '../ballot-verify.js';
import { checkCast, checkLookup } from '../board-verify.js';

/** What a cast came to. */
export const Outcome = Object.freeze({
  RECORDED: 'recorded', // { answer, check | error }: the cast's own answer
  FOUND: 'found', // { lookup, check | error }: recorded, learnt from the board
  NOT_RECORDED: 'not_recorded', // the board does not have it: it may be sent again
  UNKNOWN: 'unknown', // the board could not be asked
  REFUSED: 'refused', // { status, code, message }: the server refused it, nothing stored
  SIGNED_OUT: 'signed_out', // { message }: the session has ended, nothing stored
});

async function jsonOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** POST the ballot; the outcome. When the answer says nothing for sure, `onAsk()` is called
 * and the board is asked. */
export async function sendBallot(data, ballot, trackingCode, onAsk = () => {}) {
  let response;
  try {
    response = await fetch(data.urls.cast, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRFToken': data.csrf_token,
      },
      body: canonicalJson(ballot),
    });
  } catch {
    onAsk();
    return askBoard(data, trackingCode);
  }
  const body = await jsonOf(response);
  if ((response.status === 200 || response.status === 201) && body && !body.error) {
    try {
      return { outcome: Outcome.RECORDED, answer: body, check: checkCast(ballot, body, data.board_public_key, data.fingerprint) };
    } catch (error) {
      return { outcome: Outcome.RECORDED, answer: body, error };
    }
  }
  const refusal = body?.error;
  if (response.status >= 400 && response.status < 500 && refusal && typeof refusal.message === 'string') {
    if (response.status === 401) return { outcome: Outcome.SIGNED_OUT, message: refusal.message };
    return { outcome: Outcome.REFUSED, status: response.status, code: refusal.code, message: refusal.message };
  }
  onAsk();
  return askBoard(data, trackingCode);
}

/** Ask the public board whether the ballot with this tracking code is on it. */
export async function askBoard(data, trackingCode) {
  let response;
  try {
    response = await fetch(data.urls.lookup + trackingCode, {
      cache: 'no-store',
      headers: { Accept: 'application/json' },
    });
  } catch {
    return { outcome: Outcome.UNKNOWN };
  }
  if (response.status === 404) return { outcome: Outcome.NOT_RECORDED };
  const body = response.status === 200 ? await jsonOf(response) : null;
  if (!body) return { outcome: Outcome.UNKNOWN };
  try {
    const check = checkLookup(body, data.board_public_key, data.fingerprint, trackingCode);
    return { outcome: Outcome.FOUND, lookup: body, check };
  } catch (error) {
    return { outcome: Outcome.FOUND, lookup: body, error };
  }
}
