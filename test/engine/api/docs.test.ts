import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ERRORS, openApiPath } from '../../../engine/src/api/index.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ metricsOnApi: true });
});
afterAll(async () => {
  await h.close();
});

describe('docs/api.md', () => {
  const doc = readFileSync('docs/api.md', 'utf8');

  it('documents every route the server registers', () => {
    const missing = h.api.catalog.routes.map((r) => `${r.method} ${openApiPath(r.url)}`).filter((route) => !doc.includes(route));
    expect(missing).toEqual([]);
  });

  it('lists every error code with its status', () => {
    for (const [code, { status }] of Object.entries(API_ERRORS)) expect(doc, code).toMatch(new RegExp(`\\| ${status} \\| \`${code}\` \\|`));
  });
});
