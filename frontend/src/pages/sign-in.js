// The sign-in pages (voting/sign_in.html, code.html): a credential-code link opened before
// sign-in arrives here with its #code=… fragment, which the form's posts would lose. Keep it
// for the booth (booth/code-link.js); the election is the page's data-election attribute.
// After a sign-out (data-signed-out) the tab forgets any carried code and booth state, so
// the next person at a shared computer finds neither.

import { carryCode, forgetCarriedCode } from '../booth/code-link.js';
import { forget } from '../booth/state.js';

const page = document.querySelector('[data-election]');
const slug = page?.dataset.election;
if (slug && page.hasAttribute('data-signed-out')) {
  forgetCarriedCode(slug);
  forget(slug);
  const url = new URL(window.location.href);
  url.searchParams.delete('signed-out');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}
if (slug) carryCode(slug);
