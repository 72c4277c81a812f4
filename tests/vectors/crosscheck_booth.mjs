// The booth's vector files, checked with the booth's own modules (frontend/src/ballot-encrypt.js,
// booth-jobs.js, board-verify.js, all @noble only): crosscheck.mjs registers these checkers.
//
// ballot_encrypt.json: the DeterministicRng streams; every ballot re-encrypted from its seed
// byte for byte (the same number of draws), its opening, the progress callbacks, the ballot
// verified and decrypted by ballot-verify.js; the worker's messages (encrypt, open, a
// mistyped credential code, a refused selection, an unknown op); every refused selection,
// credential code and tampered opening refused with its code.
// board.json: leaf hashes, head messages and signatures, inclusion proofs, every cast answer
// and look-up checked to what the file says, every tampered answer refused with its code.

const canonical = (BV, x) => BV.canonicalJson(x);

/** A DeterministicRng that counts its scalars. */
function counting(BE, seed) {
  const rng = new BE.DeterministicRng(seed);
  const inner = rng.scalar.bind(rng);
  rng.drawn = 0;
  rng.scalar = () => {
    rng.drawn++;
    return inner();
  };
  return rng;
}

function refusedWith(report, what, ErrorClass, code, fn) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ErrorClass)) throw e;
    report.eq(e.code, code, `${what}: refused with`);
    return e.code;
  }
  report.failures.push(`${what}: ACCEPTED, must be refused with ${code}`);
  return null;
}

function jobAnswers(BJ, message, rng) {
  const out = [];
  BJ.runJob(message, (m) => out.push(m), rng);
  return { progress: out.filter((m) => m.progress), answer: out.at(-1) };
}

function checkRng({ BE, hex, scalarHex }, doc, report) {
  for (const c of doc.rng) {
    const rng = new BE.DeterministicRng(c.seed);
    for (const { n, hex: h } of c.bytes) report.eq(hex(rng.bytes(n)), h, `rng ${JSON.stringify(c.seed)} bytes(${n})`);
    c.then_scalars.forEach((h, i) => report.eq(scalarHex(rng.scalar()), h, `rng ${JSON.stringify(c.seed)} scalar ${i}`));
  }
}

function checkCase(mods, ctx, doc, c, report) {
  const { BV, BE } = mods;
  const where = `case "${c.name}"`;
  const credential = BV.deriveCredential(doc.manifest.election_id, c.credential_code);
  report.eq(credential.public, c.credential_public, `${where}: credential`);
  const rng = counting(BE, c.seed);
  const ticks = [];
  const out = BE.encryptBallot(ctx, c.district, c.selection, credential, rng, (done, total) => ticks.push([done, total]));
  report.eq(canonical(BV, out.raw), canonical(BV, c.ballot), `${where}: ballot byte for byte`);
  report.eq(out.trackingCode, c.tracking_code, `${where}: tracking code`);
  report.eq(canonical(BV, out.opening), canonical(BV, c.opening), `${where}: opening`);
  report.eq(rng.drawn, c.draws, `${where}: scalars drawn`);
  const options = c.ballot.contests.reduce((a, x) => a + x.choices.length, 0);
  report.eq(JSON.stringify(ticks), JSON.stringify(ticks.map((_, i) => [i + 1, options])), `${where}: progress`);
  report.eq(ticks.length, options, `${where}: one progress call per option`);
  BV.verifyBallot(ctx, out.raw, { [c.credential_public]: c.district });
  report.eq(canonical(BV, BE.checkOpening(ctx, c.ballot, c.opening)), canonical(BV, c.selection), `${where}: opened`);
  report.eq(canonical(BV, BV.decryptBallot(doc.joint_key.secret, c.ballot)), canonical(BV, c.selection), `${where}: decrypted`);
}

function checkJobs(mods, doc, report) {
  const { BV, BE, BJ } = mods;
  const c = doc.cases[0];
  const base = { op: 'encrypt', id: 7, manifest: doc.manifest, jointPublicKey: doc.joint_key.public };
  const message = { ...base, district: c.district, credentialCode: c.credential_code, selections: c.selection };
  const { progress, answer } = jobAnswers(BJ, message, new BE.DeterministicRng(c.seed));
  report.ok(answer.ok === true && answer.id === 7, `worker encrypt: ${JSON.stringify(answer).slice(0, 200)}`);
  report.eq(canonical(BV, answer.ballot ?? null), canonical(BV, c.ballot), 'worker encrypt: ballot');
  report.eq(answer.trackingCode, c.tracking_code, 'worker encrypt: tracking code');
  report.ok(typeof answer.ms === 'number' && answer.ms > 0, 'worker encrypt: ms');
  report.eq(progress.length, c.ballot.contests.reduce((a, x) => a + x.choices.length, 0), 'worker encrypt: progress messages');
  report.ok(progress.every((m) => m.id === 7), 'worker encrypt: progress ids');
  const opened = jobAnswers(BJ, { op: 'open', id: 8, manifest: doc.manifest, jointPublicKey: doc.joint_key.public, ballot: c.ballot, opening: c.opening });
  report.eq(canonical(BV, opened.answer.marks ?? null), canonical(BV, c.selection), 'worker open: marks');
  const typo = doc.credential_codes.find((x) => x.public === null);
  report.eq(jobAnswers(BJ, { ...message, credentialCode: typo.text }).answer.code, 'credential.invalid', 'worker: a mistyped code');
  const refused = doc.refused_selections[0];
  const bad = { ...message, district: refused.district, selections: refused.selection };
  report.eq(jobAnswers(BJ, bad).answer.code, 'selection.invalid', 'worker: a refused selection');
  report.eq(jobAnswers(BJ, { ...message, jointPublicKey: '00'.repeat(32) }).answer.code, 'encrypt.failed', 'worker: identity key');
  report.eq(jobAnswers(BJ, { op: 'sing', id: 9 }).answer.code, 'op.unknown', 'worker: unknown op');
  const t = doc.tampered_openings[0];
  const tampered = { op: 'open', id: 10, manifest: doc.manifest, jointPublicKey: doc.joint_key.public, ballot: doc.cases[t.case].ballot, opening: t.opening };
  report.eq(jobAnswers(BJ, tampered).answer.code, t.code, 'worker open: a tampered opening');
}

export function checkBallotEncrypt(mods, doc, report) {
  const { BV, BE } = mods;
  checkRng(mods, doc, report);
  const ctx = BV.electionContext(doc.manifest, doc.joint_key.public);
  report.eq(mods.hex(ctx.fingerprint), doc.fingerprint, 'fingerprint');
  for (const c of doc.cases) report.run(`case "${c.name}"`, () => checkCase(mods, ctx, doc, c, report));
  report.run('worker messages', () => checkJobs(mods, doc, report));
  const voter = doc.cases[0];
  const credential = BV.deriveCredential(doc.manifest.election_id, voter.credential_code);
  const seen = new Set();
  for (const s of doc.refused_selections) {
    report.run(`selection "${s.name}"`, () => {
      const rng = new BE.DeterministicRng('refused');
      seen.add(refusedWith(report, `selection "${s.name}"`, BE.SelectionRejected, s.code, () => BE.encryptBallot(ctx, s.district, s.selection, credential, rng)));
    });
  }
  for (const code of BE.SELECTION_CODES) report.ok(seen.has(code), `no refused selection with ${code}`);
  for (const c of doc.credential_codes) {
    let got = null;
    try {
      got = BV.deriveCredential(doc.manifest.election_id, c.text).public;
    } catch {
      got = null;
    }
    report.eq(got, c.public, `credential code "${c.name}"`);
  }
  const codes = new Set();
  for (const t of doc.tampered_openings) {
    report.run(`opening "${t.name}"`, () => {
      const ballot = t.ballot ?? doc.cases[t.case].ballot;
      codes.add(refusedWith(report, `opening "${t.name}"`, BE.OpeningRejected, t.code, () => BE.checkOpening(ctx, ballot, t.opening)));
    });
  }
  for (const code of BE.OPENING_CODES) report.ok(codes.has(code), `no tampered opening refused with ${code}`);
  report.run('timing', () => {
    const c = doc.cases[0];
    const times = [];
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      BE.encryptBallot(ctx, c.district, c.selection, credential, new BE.SystemRng());
      times.push(performance.now() - t0);
    }
    times.shift();
    times.sort((a, b) => a - b);
    report.note(`encrypt and prove one ballot (12 + 8 options) with ballot-encrypt.js: ${times[times.length >> 1].toFixed(1)} ms (median of ${times.length})`);
  });
}

export function checkBoard(mods, doc, report) {
  const { BF, hex, bytes } = mods;
  const [key, log] = [doc.board_public_key, doc.log_id];
  doc.leaves.forEach((l, i) => report.eq(hex(BF.leafHash(l.data)), l.leaf_hash, `leaf ${i}: hash`));
  doc.heads.forEach((h, i) => {
    report.run(`head ${i + 1}`, () => {
      const parsed = BF.verifyTreeHead(h.head, key, log);
      const message = BF.treeHeadMessage(bytes(log), parsed.treeSize, parsed.timestamp, parsed.rootHash);
      report.eq(hex(message), h.message, `head ${i + 1}: signed message`);
    });
  });
  for (const p of doc.inclusion) {
    report.run(`inclusion of leaf ${p.leaf_index} in size ${p.tree_size}`, () => {
      const root = BF.parseTreeHead(doc.heads[p.tree_size - 1].head).rootHash;
      const path = p.path.map(bytes);
      BF.verifyInclusion(BF.leafHash(doc.leaves[p.leaf_index].data), p.leaf_index, p.tree_size, path, root);
    });
  }
  for (const c of doc.casts) {
    report.run(`cast "${c.name}"`, () => {
      const got = BF.checkCast(c.ballot, c.answer, key, log);
      report.eq(got.leaf, c.leaf, `cast "${c.name}": leaf`);
      report.eq(BF.ballotLeaf(c.ballot, c.answer.time, c.answer.replaces), c.leaf, `cast "${c.name}": ballotLeaf`);
      report.eq(got.leafIndex, c.answer.leaf_index, `cast "${c.name}": leaf index`);
      report.eq(got.trackingCode, c.answer.receipt.tracking_code, `cast "${c.name}": tracking code`);
      report.eq(got.kind, c.answer.kind, `cast "${c.name}": kind`);
      report.eq(got.repeat, c.answer.repeat, `cast "${c.name}": repeat`);
    });
  }
  for (const l of doc.lookups) {
    report.run(`look-up "${l.name}"`, () => {
      const got = BF.checkLookup(l.answer, key, log, l.asked);
      for (const [k, v] of Object.entries(l.expected)) report.eq(got[k], v, `look-up "${l.name}": ${k}`);
    });
  }
  const codes = new Set();
  for (const t of doc.tampered_casts) {
    report.run(`tampered cast "${t.name}"`, () => {
      codes.add(refusedWith(report, `tampered cast "${t.name}"`, BF.BoardRejected, t.code, () => BF.checkCast(t.ballot, t.answer, t.board_public_key ?? key, log)));
    });
  }
  for (const t of doc.tampered_lookups) {
    report.run(`tampered look-up "${t.name}"`, () => {
      codes.add(refusedWith(report, `tampered look-up "${t.name}"`, BF.BoardRejected, t.code, () => BF.checkLookup(t.answer, key, log, t.asked)));
    });
  }
  for (const code of BF.BOARD_CODES) report.ok(codes.has(code), `no tampered answer refused with ${code}`);
}
