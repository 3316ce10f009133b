import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, TidemarkError, type ErrorCode, type ErrorKind } from '../../../../engine/src/errors/index.js';
import { Retrier, retryAction } from '../../../../engine/src/util/retry/index.js';
import type { Clock } from '../../../../engine/src/util/clock.js';

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly attempt?: number;
}

/** A pino logger writing parsed lines into an array, and a clock that only moves when slept on. */
function harness() {
  const lines: Line[] = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l) as Line) });
  let now = 0;
  const slept: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    setTimer: () => ({ cancel() {} }),
  };
  return { lines, logger, clock, slept, advance: (ms: number) => (now += ms) };
}

const WARN = 40;
const INFO = 30;
const ERROR = 50;
const DEBUG = 20;

function retrier(h: ReturnType<typeof harness>, extra: Partial<ConstructorParameters<typeof Retrier>[0]> = {}): Retrier {
  return new Retrier({
    what: 'thing',
    classify: (e) => (e instanceof TidemarkError ? e : new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', e instanceof Error ? e.message : String(e))),
    policy: { baseMs: 100, capMs: 1000 },
    logger: h.logger,
    clock: h.clock,
    random: () => 0.5,
    ...extra,
  });
}

describe('retry decision: kind, then remedy', () => {
  it('retries only retryable errors whose remedy a retry can bring about', () => {
    const table = Object.keys(ERROR_CODES).map((code) => [code, retryAction(new TidemarkError(code as ErrorCode, 'x'))] as const);
    for (const [code, action] of table) {
      const d = ERROR_CODES[code as ErrorCode];
      const expected = d.kind !== 'retryable' ? 'give-up' : d.remedy === 'reconnect' ? 'reconnect' : d.remedy === 'retry' ? 'retry' : 'give-up';
      expect([code, action]).toEqual([code, expected]);
    }
    // Re-classified at the boundary: the kind wins for giving up, the remedy for how to retry.
    expect(retryAction(new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', 'x', { kind: 'fatal' }))).toBe('give-up');
    expect(retryAction(new TidemarkError('TIDEMARK_ERR_SOURCE_CONNECT', 'x', { kind: 'retryable' }))).toBe('reconnect');
    expect(retryAction(new TidemarkError('TIDEMARK_ERR_SOURCE_POSITION_LOST', 'x', { kind: 'retryable' }))).toBe('give-up');
    expect(retryAction(new TidemarkError('TIDEMARK_ERR_CONFIG_INVALID', 'x', { kind: 'retryable' }))).toBe('give-up');
  });
});

describe('Retrier', () => {
  it('logs the first failure, a different error, the recovery and a give-up once each; repeats go to debug', () => {
    const h = harness();
    const r = retrier(h);
    const down = new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', 'down');
    for (let i = 0; i < 5; i++) r.failed(down);
    r.failed(new TidemarkError('TIDEMARK_ERR_HTTP_THROTTLED', '429'));
    h.advance(1234);
    r.succeeded();
    r.succeeded();
    const step = r.failed(new TidemarkError('TIDEMARK_ERR_SINK_REJECTED', '400'));
    expect(step).toMatchObject({ action: 'give-up', reason: 'not-retryable', attempt: 1 });
    expect(h.lines.map((l) => [l.level, l.msg])).toEqual([
      [WARN, 'thing failed; retrying'],
      [DEBUG, 'thing failed; retrying'],
      [DEBUG, 'thing failed; retrying'],
      [DEBUG, 'thing failed; retrying'],
      [DEBUG, 'thing failed; retrying'],
      [WARN, 'thing failed; retrying'],
      [INFO, 'thing recovered'],
      [ERROR, 'thing failed; not retrying (non-retryable, remedy fix-config)'],
    ]);
    expect(h.lines[6]).toMatchObject({ attempts: 7, downMs: 1234 });
  });

  it('says reconnect for a reconnect remedy, and waits at least what the error asks (Retry-After)', () => {
    const h = harness();
    const r = retrier(h);
    expect(r.failed(new TidemarkError('TIDEMARK_ERR_SOURCE_CONNECT', 'gone'))).toMatchObject({ action: 'reconnect', delayMs: 50 });
    expect(r.failed(new TidemarkError('TIDEMARK_ERR_HTTP_THROTTLED', '429', { context: { retryAfterMs: 7000 } }))).toMatchObject({ action: 'retry', delayMs: 7000 });
    expect(h.lines[0]!.msg).toBe('thing failed; reconnecting');
  });

  it('run() retries on the clock until success, and gives up at the deadline with the last error', async () => {
    const h = harness();
    let calls = 0;
    const value = await retrier(h).run(async () => {
      if (++calls < 4) throw new Error('flaky');
      return 'ok';
    });
    expect([value, calls, h.slept]).toEqual(['ok', 4, [50, 100, 200]]);
    const failing = retrier(h).run(async () => Promise.reject(new Error('still down')), { deadline: h.clock.now() + 1000 });
    await expect(failing).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', message: 'still down' });
    expect(h.lines.at(-1)!.msg).toBe('thing failed; not retrying (deadline passed)');
  });

  it('run() stops when the signal aborts, without another attempt', async () => {
    const h = harness();
    const abort = new AbortController();
    let calls = 0;
    const r = retrier(h);
    await expect(
      r.run(async () => {
        calls++;
        abort.abort();
        throw new Error('down');
      }, { signal: abort.signal }),
    ).rejects.toMatchObject({ message: 'down' });
    expect(calls).toBe(1);
  });

  it('property: one warn per change of state or error, one info per recovery, one error per give-up', () => {
    const kinds: ErrorKind[] = ['retryable', 'non-retryable', 'fatal', 'poison'];
    const codes: ErrorCode[] = ['TIDEMARK_ERR_SINK_UNAVAILABLE', 'TIDEMARK_ERR_HTTP_THROTTLED', 'TIDEMARK_ERR_SOURCE_CONNECT'];
    const outcome = fc.oneof(fc.constant(null), fc.record({ code: fc.constantFrom(...codes), kind: fc.constantFrom(...kinds) }));
    fc.assert(
      fc.property(fc.array(outcome, { maxLength: 40 }), (outcomes) => {
        const h = harness();
        const r = retrier(h);
        let failing: string | null = null;
        const expected: number[] = [];
        for (const o of outcomes) {
          if (o === null) {
            if (failing !== null) expected.push(INFO);
            failing = null;
            r.succeeded();
            continue;
          }
          const step = r.failed(new TidemarkError(o.code, 'x', { kind: o.kind }));
          if (o.kind !== 'retryable') {
            expect(step.action).toBe('give-up');
            expected.push(ERROR);
            failing = null;
          } else {
            expect(step.action).not.toBe('give-up');
            expected.push(failing === o.code ? DEBUG : WARN);
            failing = o.code;
          }
          expect(r.failing).toBe(failing !== null);
        }
        expect(h.lines.map((l) => l.level)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
