import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../engine/src/logging/logger.js';
import { LogLevelControl } from '../../../engine/src/runtime/index.js';

describe('LogLevelControl', () => {
  it('changes the level of the root logger and of children created before and after', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const root = createLogger({ level: 'info', destination: sink });
    const control = new LogLevelControl(root);
    const child = root.child({ pipeline: 'p' });
    const grandchild = child.child({ sink: 's' });
    grandchild.debug('hidden');
    control.set('debug');
    expect(control.level).toBe('debug');
    grandchild.debug('shown');
    root.child({ later: true }).debug('also shown');
    control.set('warn');
    child.info('hidden again');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown', 'also shown']);
    expect(() => control.set('loud' as never)).toThrow(/unknown log level/);
  });
});
