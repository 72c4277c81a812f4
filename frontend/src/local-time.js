// A board time (Unix milliseconds) as the server's pages show it ({% local_time %} in
// site/templatetags/saylau_pages.py): in the site's time zone, in the page language's own
// Django date format ("j E Y, H:i:s", "Y ж. j E, H:i:s", …) with its month names, and the
// zone with its offset. The page hands over the format and the month names (a data island):
// the browser's own locale data lacks Kazakh month names.
//
//   const { text, zone, iso } = localTime(ms, { format, months, timeZone });
//   // text "7 December 2026, 03:38:29", zone "Asia/Almaty, UTC+05:00",
//   // iso "2026-12-07T03:38:29.123+05:00"

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** The wall-clock fields of `moment` in `timeZone`, and the zone's offset ("+05:00"). */
function wallClock(moment, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(moment);
  const get = (type) => parts.find((p) => p.type === type)?.value ?? '';
  const offset = get('timeZoneName').replace(/^GMT/, '') || '+00:00';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
    offset,
  };
}

/** Django's date format letters the pages use; any other character stands for itself, and a
 * backslash makes the next one literal. */
function formatWith(format, t, months) {
  const letters = {
    j: () => String(t.day),
    d: () => pad(t.day),
    n: () => String(t.month),
    m: () => pad(t.month),
    E: () => months[t.month - 1],
    Y: () => String(t.year),
    H: () => pad(t.hour),
    i: () => pad(t.minute),
    s: () => pad(t.second),
  };
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '\\' && i + 1 < format.length) out += format[++i];
    else out += c in letters ? letters[c]() : c;
  }
  return out;
}

/** { text, zone, iso } of `ms` for a page: see the head of this file. */
export function localTime(ms, { format, months, timeZone }) {
  const moment = new Date(ms);
  const t = wallClock(moment, timeZone);
  const iso =
    `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:` +
    `${pad(t.second)}.${pad(moment.getUTCMilliseconds(), 3)}${t.offset}`;
  return { text: formatWith(format, t, months), zone: `${timeZone}, UTC${t.offset}`, iso };
}
