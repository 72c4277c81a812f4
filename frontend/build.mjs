// Bundles each page script (src/pages/*.js: the booth, its Web Worker, the ballot check page)
// with esbuild into the site's static files, so the pages load only the site's own scripts
// (the CSP allows nothing else). Run by `make frontend` (a step of `make demo` and `make test`).
//
//   node build.mjs            once
//   node build.mjs --watch    rebuild on change (development)

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const PAGES = join(HERE, 'src', 'pages');
export const OUT = join(HERE, '..', 'src', 'saylau', 'site', 'static', 'saylau_site', 'js');

const entryPoints = readdirSync(PAGES)
  .filter((name) => name.endsWith('.js'))
  .map((name) => join(PAGES, name));

const options = {
  entryPoints,
  outdir: OUT,
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
};

if (process.argv.includes('--watch')) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log(`watching ${PAGES} → ${OUT}`);
} else {
  await esbuild.build(options);
  console.log(`built ${entryPoints.length} page script(s) → ${OUT}`);
}
