// The receipt step: what the board recorded (tracking code, leaf index, time, the signed tree
// head), whether it was checked here, a QR code of the page that checks the ballot (`qrcode`
// from npm, an SVG shown as an image: no inline markup or style), and save / print.

import QRCode from 'qrcode';
import { localTime } from '../local-time.js';
import { say } from './text.js';

/** The receipt's facts, from the cast's answer or from the board's look-up. */
export function receiptOf(result) {
  if (result.answer) {
    const a = result.answer;
    return {
      trackingCode: a.receipt.tracking_code,
      leafIndex: a.leaf_index,
      time: a.time,
      kind: a.kind,
      replaces: a.replaces,
      receipt: a.receipt,
      error: result.error ?? null,
    };
  }
  const { leaf, tree_head: head, inclusion_proof: proof } = result.lookup;
  return {
    trackingCode: leaf.tracking_code,
    leafIndex: leaf.index,
    time: leaf.time,
    kind: leaf.kind,
    replaces: leaf.replaces,
    receipt: { tracking_code: leaf.tracking_code, tree_head: head, inclusion_proof: proof },
    error: result.error ?? null,
  };
}

/** A board time as the site's pages show it (local-time.js), in a <time> element. */
function showTime(id, ms, timeData) {
  const { text, zone, iso } = localTime(ms, timeData);
  const time = document.createElement('time');
  time.dateTime = iso;
  time.textContent = `${text} (${zone})`;
  document.getElementById(id).replaceChildren(time);
}

export function checkPageUrl(data, trackingCode) {
  return new URL(`${data.urls.check}#${trackingCode}`, window.location.origin).href;
}

async function showQr(url, t) {
  const image = document.getElementById('receipt-qr');
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  image.alt = t('receipt.qr_alt', { url });
}

function offerSave(data, facts, url) {
  const file = {
    election: data.slug,
    fingerprint: data.fingerprint,
    board_public_key: data.board_public_key,
    leaf_index: facts.leafIndex,
    time: facts.time,
    kind: facts.kind,
    replaces: facts.replaces,
    check_url: url,
    receipt: facts.receipt,
  };
  const save = document.getElementById('save-button');
  const blob = new Blob([JSON.stringify(file, null, 2) + '\n'], { type: 'application/json' });
  if (save.href.startsWith('blob:')) URL.revokeObjectURL(save.href);
  save.href = URL.createObjectURL(blob);
  save.download = `saylau-receipt-${data.slug}-${facts.trackingCode.slice(0, 16)}.json`;
}

/** Fill the receipt step (`timeData`: the page's #time-data island). */
export async function showReceipt(data, facts, t, timeData) {
  const head = facts.receipt.tree_head;
  const url = checkPageUrl(data, facts.trackingCode);
  const check = facts.error
    ? t('receipt.unverified', { code: facts.error.code ?? facts.error.name ?? 'error' })
    : t('receipt.verified');
  const line = say('receipt-check', check);
  line.className = facts.error ? 'error' : 'notice';
  say('receipt-code', facts.trackingCode);
  say('receipt-leaf', String(facts.leafIndex));
  showTime('receipt-time', facts.time, timeData);
  say('receipt-kind', facts.replaces ? t('receipt.revote', { code: facts.replaces }) : t('receipt.first'));
  say('receipt-size', String(head.tree_size));
  say('receipt-root', head.root_hash);
  say('receipt-signature', head.signature);
  const link = document.getElementById('receipt-link');
  link.href = url;
  offerSave(data, facts, url);
  await showQr(url, t);
}
