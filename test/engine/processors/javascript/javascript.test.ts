import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { javascriptProcessor as jsSchema } from '../../../../engine/src/config/processors.js';
import type { ChangeEvent } from '../../../../engine/src/event/index.js';
import { javascriptProcessor } from '../../../../engine/src/processors/javascript/javascript-processor.js';
import type { Processor } from '../../../../engine/src/processors/processor.js';
import { ctx, recordingMetrics, rowEvent } from '../helpers.js';

const open: Processor[] = [];
afterAll(async () => {
  for (const p of open) await p.close?.();
});

function js(inline: string, limits: Record<string, number> = {}, metrics = recordingMetrics()): Processor {
  const p = javascriptProcessor(jsSchema.parse({ type: 'javascript', id: 'js', inline, limits }), ctx(metrics));
  open.push(p);
  return p;
}

const batch = (n = 3): ChangeEvent[] => Array.from({ length: n }, (_, i) => rowEvent(i, { after: { id: i, email: `user${i}@example.com`, n: i } }));
const run = async (p: Processor, events = batch()) => (await p.process(events)) as ChangeEvent[];

describe('javascript processor: the script', () => {
  it('redacts in place with processBatch, keeping positions, transactions and ids', async () => {
    const input = batch();
    const out = await run(js(`function processBatch(events) { return events.map((e) => { e.after.email = '[redacted]'; e.tags = ['processed']; return e; }); }`), input);
    expect(out.map((e) => e.after)).toEqual(input.map((e) => ({ ...e.after, email: '[redacted]' })));
    out.forEach((e, i) => expect(e).toMatchObject({ id: input[i]!.id, source: input[i]!.source, tx: input[i]!.tx, op: 'c', tags: ['processed'] }));
  });

  it('accepts process(events), a const-declared function and processEvent (null drops, a list fans out)', async () => {
    expect(await run(js('function process(events) { return events.slice(1); }'))).toHaveLength(2);
    expect(await run(js('const processBatch = (events) => events.filter((e) => e.after.n !== 1);'))).toHaveLength(2);
    const out = await run(js('function processEvent(e) { if (e.after.n === 0) return null; return e.after.n === 2 ? [e, { ...e, after: { ...e.after, copy: true } }] : e; }'));
    expect(out.map((e) => e.after?.n)).toEqual([1, 2, 2]);
    expect(out[2]!.after).toMatchObject({ copy: true });
  });

  it('routes with ev.route(): topic, key and headers, replacing earlier routing', async () => {
    const out = await run(js(`function processBatch(events) {
      for (const ev of events) {
        ev.route({ topic: 'ignored' });
        if (ev.after.n > 0) ev.route({ topic: 'orders.priority', key: String(ev.after.n), headers: { 'x-tier': 'high', 'x-n': ev.after.n } });
        else ev.route({ topic: 'orders.standard' });
      }
      return events;
    }`));
    expect(out.map((e) => e.routing)).toEqual([{ topic: 'orders.standard' }, { topic: 'orders.priority', key: '1', headers: { 'x-tier': 'high', 'x-n': '1' } }, { topic: 'orders.priority', key: '2', headers: { 'x-tier': 'high', 'x-n': '2' } }]);
  });

  it('rejects bad results and bad routes with a script error that says what is wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      ['function processBatch(e) { }', /returned nothing/],
      ['function processBatch(e) { return 5; }', /must return an array/],
      ['async function processBatch(e) { return e; }', /returned a promise/],
      ['function processBatch(e) { return [{ id: "forged", after: {} }]; }', /not one of the batch events/],
      ['function processBatch(e) { e[0].route({ topic: "" }); return e; }', /topic must be a non-empty string/],
      ['function processBatch(e) { e[0].route({ headers: { "bad name": "x" } }); return e; }', /not a valid header name/],
      ['function processBatch(e) { e[0].after = [1]; return e; }', /after must be an object or null/],
      ['function processBatch(e) { e[0].after.big = 1n; return e; }', /BigInt/],
      ['function processBatch(e) { throw new Error("boom"); }', /Error: boom \(line 1, column \d+\)/],
    ];
    for (const [script, message] of cases) {
      await expect(run(js(script))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_SCRIPT', kind: 'poison', message: expect.stringMatching(message) });
    }
  });

  it('keeps the isolate (and the script\'s globals) from batch to batch', async () => {
    const p = js('let calls = 0; function processBatch(events) { calls++; for (const e of events) e.after.calls = calls; return events; }');
    await run(p);
    const out = await run(p);
    expect(out[0]!.after).toMatchObject({ calls: 2 });
  });

  it('reports compile problems before the first batch, with the line', async () => {
    expect(jsSchema.safeParse({ type: 'javascript', id: 'x', inline: 'function processBatch(e) {\n  return e.map(;\n}' }).error?.issues[0]?.message).toMatch(/does not compile: .*\(line 2\)/);
    expect(jsSchema.safeParse({ type: 'javascript', id: 'x' }).error?.issues[0]?.message).toMatch(/exactly one of inline .* or file/);
    expect(jsSchema.safeParse({ type: 'javascript', id: 'x', inline: 'x', limits: { mem_mb: 4 } }).success).toBe(false);
    await expect(run(js('function nothing() {}'))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_COMPILE', message: expect.stringMatching(/defines neither processBatch/) });
    await expect(run(js('while (true) {}\nfunction processBatch(e) { return e; }', { timeout_ms: 200 }))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_COMPILE', message: expect.stringMatching(/top level did not finish within limits.timeout_ms/) });
  });

  it('reads the script from a file, and names the file it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-js-'));
    writeFileSync(join(dir, 'redact.js'), 'function processBatch(events) { for (const e of events) e.after.email = "x"; return events; }');
    const p = javascriptProcessor(jsSchema.parse({ type: 'javascript', id: 'f', file: join(dir, 'redact.js') }), ctx());
    open.push(p);
    expect((await run(p))[0]!.after!.email).toBe('x');
    expect(() => javascriptProcessor(jsSchema.parse({ type: 'javascript', id: 'f', file: join(dir, 'missing.js') }), ctx())).toThrow(/javascript processor f: cannot read its script file .*missing\.js/);
  });
});

describe('javascript processor: the sandbox holds', () => {
  it('offers no require, process, network, filesystem, timers, host objects or late-running callbacks', async () => {
    const probe = js(`function processBatch(events) {
      const g = globalThis;
      events[0].after.probe = {
        require: typeof require, process: typeof process, module: typeof module, Buffer: typeof Buffer, Deno: typeof Deno,
        fetch: typeof fetch, XMLHttpRequest: typeof XMLHttpRequest, WebSocket: typeof WebSocket,
        setTimeout: typeof setTimeout, setInterval: typeof setInterval, setImmediate: typeof setImmediate, queueMicrotask: typeof queueMicrotask,
        FinalizationRegistry: typeof FinalizationRegistry, WeakRef: typeof WeakRef, SharedArrayBuffer: typeof SharedArrayBuffer, Atomics: typeof Atomics, WebAssembly: typeof WebAssembly,
        globalProcess: typeof Function('return this')().process,
        ctorEscape: events.constructor.constructor('return typeof process')(),
        afterIsPlain: Object.getPrototypeOf(events[0].after) === Object.prototype && Object.getPrototypeOf(events[0].source) === Object.prototype,
        globals: Object.getOwnPropertyNames(g).filter((n) => !/^[A-Z]/.test(n) || n === 'WebAssembly').sort(),
      };
      return events;
    }`);
    const [first] = await run(probe);
    const p = first!.after!.probe as Record<string, unknown>;
    for (const name of ['require', 'process', 'module', 'Buffer', 'Deno', 'fetch', 'XMLHttpRequest', 'WebSocket', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'FinalizationRegistry', 'WeakRef', 'SharedArrayBuffer', 'Atomics', 'WebAssembly', 'globalProcess', 'ctorEscape']) {
      expect(p[name], name).toBe('undefined');
    }
    expect(p.afterIsPlain).toBe(true);
    // Only the language's own lower-case globals, our console and the script's function: nothing of Node.
    expect(p.globals).toEqual(['console', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval', 'globalThis', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'processBatch', 'undefined', 'unescape']);
  });

  it('each escape attempt fails inside the sandbox', async () => {
    const attempts: Array<[string, string]> = [
      ['require', 'require("fs").readFileSync("/etc/passwd")'],
      ['process', 'process.exit(1)'],
      ['constructor chain', 'events.constructor.constructor("return process")().exit(1)'],
      ['fetch', 'fetch("http://127.0.0.1:1/")'],
      ['timer', 'setTimeout(() => {}, 10)'],
      ['Node global', 'globalThis.global.process.exit(1)'],
    ];
    for (const [name, code] of attempts) {
      await expect(run(js(`function processBatch(events) { ${code}; return events; }`)), name).rejects.toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_SCRIPT', message: expect.stringMatching(/(ReferenceError|TypeError)/) });
    }
  });

  it('a dynamic import neither loads a module nor runs anything after the call', async () => {
    const p = js(`let loaded = 'pending';
      function processBatch(events) {
        if (events[0].after.n === 0 && loaded === 'pending') {
          try { import('node:fs').then(() => { loaded = 'yes'; }, (e) => { loaded = 'rejected: ' + e.message; }); } catch (e) { loaded = 'threw: ' + e.message; }
        }
        events[0].after.loaded = loaded;
        return events;
      }`);
    await run(p);
    const [first] = await run(p);
    expect(first!.after!.loaded).not.toBe('yes');
    expect(first!.after!.loaded).toMatch(/rejected|threw/);
  });

  it('does not half-apply a batch: a script that edits events then fails leaves them untouched', async () => {
    const input = batch();
    const snapshot = JSON.parse(JSON.stringify(input)) as unknown;
    await expect(run(js('function processBatch(events) { for (const e of events) e.after.email = "leak"; while (true) {} }', { timeout_ms: 150, cpu_ms: 10_000 }), input)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_LIMIT' });
    expect(JSON.parse(JSON.stringify(input))).toEqual(snapshot);
  });
});

describe('javascript processor: limits are enforced per batch', () => {
  it('stops an infinite loop at timeout_ms, and the next batch runs', async () => {
    const metrics = recordingMetrics();
    const p = js('function processBatch(events) { if (events[0].after.n === 0) while (true) {} return events; }', { timeout_ms: 200, cpu_ms: 60_000 }, metrics);
    await expect(run(p)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_LIMIT', kind: 'poison', message: expect.stringMatching(/javascript processor js: the script went over limits\.timeout_ms \(200 ms/) });
    expect(await run(p, [rowEvent(5, { after: { n: 5 } })])).toHaveLength(1);
    expect(metrics.calls).toContainEqual(['limitExceeded', ['timeout_ms']]);
  });

  it('stops a CPU-bound script at cpu_ms, recreating the isolate for the next batch', async () => {
    const p = js('let spins = 0; function processBatch(events) { spins++; if (events[0].after.n === 0) for (;;) {} events[0].after.spins = spins; return events; }', { cpu_ms: 100, timeout_ms: 60_000 });
    const started = performance.now();
    await expect(run(p)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_LIMIT', message: expect.stringMatching(/limits\.cpu_ms \(100 ms/) });
    expect(performance.now() - started).toBeLessThan(30_000);
    const [next] = await run(p, [rowEvent(5, { after: { n: 5 } })]);
    // A fresh isolate: the script's globals started over.
    expect(next!.after!.spins).toBe(1);
  });

  it('stops unbounded allocation at mem_mb and a 1 GB buffer outright; the isolate is recreated', async () => {
    const grow = js('function processBatch(events) { if (events[0].after.n === 0) { const hoard = []; for (;;) hoard.push(new Array(1 << 20).fill(1.5)); } return events; }', { mem_mb: 64, cpu_ms: 60_000, timeout_ms: 60_000 });
    await expect(run(grow)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_LIMIT', message: expect.stringMatching(/limits\.mem_mb \(64 MB/) });
    expect(await run(grow, [rowEvent(5, { after: { n: 5 } })])).toHaveLength(1);
    const gigabyte = js('function processBatch(events) { const b = new Uint8Array(1024 * 1024 * 1024); b[0] = 1; return events; }', { mem_mb: 64, cpu_ms: 60_000 });
    await expect(run(gigabyte)).rejects.toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_LIMIT', message: expect.stringMatching(/limits\.mem_mb/) });
  });

  it('keeps the host event loop free while a runaway script runs', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    await expect(run(js('function processBatch(events) { for (;;) {} }', { timeout_ms: 1500, cpu_ms: 60_000 }))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_LIMIT' });
    clearInterval(ticker);
    delay.disable();
    // 1.5 s of runaway script: the host kept ticking every 20 ms (allowing for a busy machine).
    expect(ticks).toBeGreaterThan(20);
    expect(delay.max / 1e6).toBeLessThan(500);
  });
});

describe('javascript processor: runtime requirements', () => {
  it('refuses to run without --no-node-snapshot, with what to do', () => {
    const probe = `import('./engine/dist/processors/javascript/isolated-vm.js').then((m) => { try { m.loadIsolatedVm(); console.log('loaded'); } catch (e) { console.log(e.code + ' ' + e.message); } })`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(out).toMatch(/TIDEMARK_ERR_PROCESSOR_RUNTIME .*--no-node-snapshot/);
    const withFlag = execFileSync(process.execPath, ['--no-node-snapshot', '--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(withFlag.trim()).toBe('loaded');
  });
});
