// A credential code in a link (…/booth/#code=…): a fragment never reaches the server. The
// booth takes it from its own address bar; a link opened before sign-in lands on the sign-in
// page (the redirect keeps the fragment), whose script moves it into this tab's
// sessionStorage until the booth, after sign-in, takes it from there. Each page clears the
// address bar at once, so the code stays neither there nor in the history.

const key = (slug) => `saylau.code-link.${slug}`;

/** The code in this page's fragment (#code=…), removed from the address bar; else null. */
export function takeCodeFromFragment() {
  const match = /^#code=([^&]*)/.exec(window.location.hash);
  if (!match) return null;
  history.replaceState(history.state, '', window.location.pathname + window.location.search);
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** Keep the fragment's code (if any) for the booth of election `slug`, in this tab only. */
export function carryCode(slug) {
  const code = takeCodeFromFragment();
  if (code === null) return;
  try {
    sessionStorage.setItem(key(slug), code);
  } catch {
    // storage refused (private mode): the voter types the code in the booth
  }
}

/** The code carried for election `slug` (removed once read), or null. */
export function takeCarriedCode(slug) {
  try {
    const code = sessionStorage.getItem(key(slug));
    sessionStorage.removeItem(key(slug));
    return code;
  } catch {
    return null;
  }
}

/** Forget the code carried for election `slug` (on sign-out). */
export function forgetCarriedCode(slug) {
  try {
    sessionStorage.removeItem(key(slug));
  } catch {
    // storage refused: nothing was kept
  }
}
