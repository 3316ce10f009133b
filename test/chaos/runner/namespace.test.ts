import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runNamespace } from '../../../chaos/src/runner/namespace.js';

describe('run namespace', () => {
  it('gives every name a form its server accepts, for any scenario name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,80}$/), fc.constantFrom('mysql' as const, 'postgres' as const), fc.nat(10_000), (name, family, n) => {
        const ns = runNamespace(name, family, n, 'ab12');
        expect(ns.database).toMatch(/^[a-z0-9_]{1,63}$/);
        expect(ns.slot).toMatch(/^[a-z0-9_]{1,63}$/);
        expect(ns.publication).toMatch(/^[a-z0-9_]{1,63}$/);
        expect(`${ns.kafkaPrefix}chaos_accounts`).toMatch(/^[a-zA-Z0-9._-]{1,249}$/);
        expect(ns.natsStream).toMatch(/^[A-Z0-9_-]+$/);
        expect(`${ns.natsSubject}.t`).not.toMatch(/[\s*>]/);
        expect(ns.pipeline).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);
        expect(ns.httpPath).toMatch(/^\/[a-z0-9-]+$/);
      }),
    );
  });

  it('tells runs and families apart', () => {
    const a = runNamespace('crash-recovery', 'mysql', 1, 'x');
    const b = runNamespace('crash-recovery', 'mysql', 2, 'x');
    const c = runNamespace('crash-recovery', 'postgres', 1, 'x');
    expect(new Set([a.database, b.database, c.database]).size).toBe(3);
    expect(new Set([a.kafkaPrefix, b.kafkaPrefix, c.kafkaPrefix]).size).toBe(3);
    expect(a.runId).toBe('crash-recovery-my-1-x');
  });
});
