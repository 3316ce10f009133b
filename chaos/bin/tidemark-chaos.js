#!/usr/bin/env -S node --no-node-snapshot
// --no-node-snapshot: the runner applies javascript processors (isolated-vm) to compute expectations.
// Thin launcher so the bin link exists before the first build; the CLI lives in dist/.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1; },
);
