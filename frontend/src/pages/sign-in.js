// The sign-in pages (voting/sign_in.html, code.html): a credential-code link opened before
// sign-in arrives here with its #code=… fragment, which the form's posts would lose. Keep it
// for the booth (booth/code-link.js); the election is the page's data-election attribute.

import { carryCode } from '../booth/code-link.js';

const slug = document.querySelector('[data-election]')?.dataset.election;
if (slug) carryCode(slug);
