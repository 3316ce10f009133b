import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, renderErrorsMarkdown, TidemarkError } from '../../../engine/src/errors/index.js';

describe('error registry', () => {
  it('docs/errors.md lists exactly the registered codes (run `npm run docs:errors` after adding one)', () => {
    expect(readFileSync('docs/errors.md', 'utf8')).toBe(renderErrorsMarkdown());
  });

  it('every code follows TIDEMARK_ERR_<AREA>_<WHAT> and has help text', () => {
    for (const [code, def] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^TIDEMARK_ERR_[A-Z]+_[A-Z0-9_]+$/);
      expect(def.help.length).toBeGreaterThan(20);
    }
  });

  it('errors carry their registry classification unless re-classified at the boundary', () => {
    const e = new TidemarkError('TIDEMARK_ERR_SINK_FENCED', 'fenced', { context: { sink: 'k' } });
    expect([e.kind, e.remedy]).toEqual(['fatal', 'fatal']);
    const r = new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', 'down', { kind: 'non-retryable' }).withContext({ batch: 'p#1' });
    expect(r.kind).toBe('non-retryable');
    expect(r.toJSON()).toMatchObject({ code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', context: { batch: 'p#1' } });
  });
});
