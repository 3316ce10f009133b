import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, RESERVED_CODES, type ErrorCode } from '../../../engine/src/errors/index.js';

/** Engine sources that can raise an error: not the registry itself, not the test doubles. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path.endsWith(join('errors', 'codes')) || path.endsWith('testing') ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Where each code appears as a quoted string in code: comment lines, documentation text
 * (backquoted, or in field-help.ts) and schema `examples` do not count.
 */
function raisedAt(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sources('engine/src')) {
    if (file.endsWith('field-help.ts')) continue;
    const code = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line) && !/\bexamples:/.test(line))
      .join('\n');
    for (const m of code.matchAll(/['"](TIDEMARK_ERR_[A-Z0-9_]+)['"]/g)) found.set(m[1]!, [...(found.get(m[1]!) ?? []), file]);
  }
  return found;
}

describe('error registry against the code', () => {
  const raised = raisedAt();

  it('every registered code is raised somewhere in engine/src, unless reserved with a reason', () => {
    const unused = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => !raised.has(c) && RESERVED_CODES[c] === undefined);
    expect(unused, 'register a code only with the code that raises it, or add it to RESERVED_CODES with the reason').toEqual([]);
  });

  it('reserved codes have a reason and are not raised yet', () => {
    for (const [code, reason] of Object.entries(RESERVED_CODES)) {
      expect(reason!.length).toBeGreaterThan(10);
      expect(raised.has(code), `${code} is raised: remove it from RESERVED_CODES`).toBe(false);
    }
  });

  it('the code raises only registered codes', () => {
    expect([...raised.keys()].filter((c) => !(c in ERROR_CODES))).toEqual([]);
  });
});
