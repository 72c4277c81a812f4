// A contest's rule on the ballot form: which marks may be made now, and whether a set of marks
// is valid. The same rule as protocol/manifest.py check_selection: between min and max marks,
// "against all" weighs max and so excludes every other mark. The proofs are what count; this
// only keeps the voter from making a ballot the proofs cannot be made for.

/** The weighted number of marks: ordinary marks count 1, "against all" counts max. */
export function weightedTotal(contest, marks) {
  return marks.reduce((sum, m, j) => sum + m * (j === contest.against_all ? contest.max : 1), 0);
}

/** null if `marks` satisfy the contest's rule, else the problem: 'shape', 'too_few', 'rule'. */
export function problemOf(contest, marks) {
  if (!Array.isArray(marks) || marks.length !== contest.options.length) return 'shape';
  if (marks.some((m) => m !== 0 && m !== 1)) return 'shape';
  const total = weightedTotal(contest, marks);
  if (total > contest.max) return 'rule';
  if (total < contest.min) return 'too_few';
  return null;
}

/** Which options may not be marked now (an option already marked may always be unmarked). */
export function blocked(contest, marks) {
  const aa = contest.against_all;
  const againstAll = aa !== null && marks[aa] === 1;
  const ordinary = marks.reduce((n, m, j) => n + (j === aa ? 0 : m), 0);
  return marks.map((m, j) => {
    if (m === 1) return false;
    if (j === aa) return ordinary > 0;
    return againstAll || ordinary >= contest.max;
  });
}

/** Wire a contest's fieldset: on each change, block what may not be marked and say why. */
export function wireContest(fieldset, contest, index, t) {
  const boxes = [...fieldset.querySelectorAll('input[type=checkbox]')];
  const count = fieldset.querySelector(`#count-${index}`);
  const update = () => {
    const marks = boxes.map((b) => (b.checked ? 1 : 0));
    blocked(contest, marks).forEach((no, j) => {
      boxes[j].disabled = no;
    });
    const aa = contest.against_all;
    const ordinary = marks.reduce((n, m, j) => n + (j === aa ? 0 : m), 0);
    if (aa !== null && marks[aa] === 1) {
      count.textContent = t('ballot.against_all_marked', { name: contest.options[aa] });
    } else {
      const key = ordinary >= contest.max ? 'ballot.count_full' : 'ballot.count';
      count.textContent = t(key, { n: ordinary, max: contest.max });
    }
    const error = fieldset.querySelector('.error');
    error.hidden = true;
    error.textContent = '';
  };
  fieldset.addEventListener('change', update);
  return {
    marks: () => boxes.map((b) => (b.checked ? 1 : 0)),
    set(marks) {
      boxes.forEach((b, j) => {
        b.checked = marks[j] === 1;
      });
      update();
    },
    update,
  };
}
