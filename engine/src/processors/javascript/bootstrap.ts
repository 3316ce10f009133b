/**
 * Code run inside the isolate before the user's script. It is the only code that touches the
 * batch in there: it parses the batch (JSON text in: `{s: [sources], k: [primary keys], e: [[id,
 * op, source#, key#, before, after, tx id, tx index, tx end, ts, tags|0, routing|0, outbox|0]]}`,
 * as wire.ts writes it), builds event objects with `route()`, calls
 * the user's function, checks the result's shape and hands back JSON text. The host parses and
 * validates that text again, so nothing the script does can reach past plain data.
 *
 * It also removes what could run code after the call returns (FinalizationRegistry callbacks,
 * WeakRef, Atomics.waitAsync, asynchronous WebAssembly compilation): with no timers, I/O or
 * host functions in the isolate, a script's work starts and ends inside the limited call.
 */
export const BOOTSTRAP = String.raw`
(function () {
  'use strict';
  const g = globalThis;
  for (const name of ['FinalizationRegistry', 'WeakRef', 'SharedArrayBuffer', 'Atomics', 'WebAssembly']) delete g[name];
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const isArray = Array.isArray;
  const MAX_LOG_LINES = 50;
  const MAX_FANOUT = 16;
  let logs = [];
  const show = (args) => args.map((a) => (typeof a === 'string' ? a : safe(a))).join(' ').slice(0, 1000);
  function safe(v) {
    try { return stringify(v) ?? String(v); } catch (e) { return String(v); }
  }
  const logTo = (level) => (...args) => { if (logs.length < MAX_LOG_LINES) logs.push([level, show(args)]); };
  g.console = { log: logTo('info'), info: logTo('info'), debug: logTo('debug'), warn: logTo('warn'), error: logTo('error') };

  const HEADER = /^[!#$%&'*+\-.^_${'`'}|~0-9A-Za-z]+$/;
  function routeOf(r) {
    if (r === undefined || r === null) return undefined;
    if (typeof r !== 'object' || isArray(r)) throw new TypeError('route() expects an object {topic, key, headers}');
    const out = {};
    if (r.topic !== undefined) {
      if (typeof r.topic !== 'string' || r.topic === '') throw new TypeError('route(): topic must be a non-empty string');
      out.topic = r.topic;
    }
    if (r.key !== undefined) {
      if (typeof r.key !== 'string') throw new TypeError('route(): key must be a string');
      out.key = r.key;
    }
    if (r.headers !== undefined) {
      if (r.headers === null || typeof r.headers !== 'object' || isArray(r.headers)) throw new TypeError('route(): headers must be an object of name: value');
      const headers = {};
      for (const name of Object.keys(r.headers)) {
        const v = r.headers[name];
        if (!HEADER.test(name)) throw new TypeError('route(): header name ' + stringify(name) + ' is not a valid header name');
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new TypeError('route(): header ' + name + ' must be a string, number or boolean');
        headers[name] = String(v);
      }
      out.headers = headers;
    }
    return out;
  }

  // Sources and primary keys are shared by the events of a batch: frozen, as they are read-only.
  const freeze = (o) => Object.freeze(o);
  class Event {
    constructor(r, sources, keys) {
      this.id = r[0];
      this.op = r[1];
      this.source = sources[r[2]];
      this.before = r[4];
      this.after = r[5];
      this.tx = { id: r[6], index: r[7], end: r[8] };
      this.ts_ms = r[9];
      this.primary_key = keys[r[3]];
      this.tags = r[10] === 0 ? [] : r[10];
      this.routing = r[11] === 0 ? null : r[11];
      if (r[12] !== 0) this.outbox = r[12];
    }
    /** The reference's dynamic routing: replaces (does not merge) any earlier routing. */
    route(r) {
      this.routing = routeOf(r);
      return this;
    }
  }

  let entry = null;
  let mode = null;
  g.__tidemark_bind = (found) => {
    delete g.__tidemark_bind;
    if (found) [mode, entry] = found;
    return mode;
  };

  function call(events) {
    if (mode === 'event') {
      const result = [];
      for (const ev of events) {
        const r = entry(ev);
        if (r === undefined || r === null) continue;
        if (typeof r.then === 'function') throw new TypeError('processEvent returned a promise: processors run synchronously, do not use async');
        if (isArray(r)) for (const x of r) result.push(x);
        else result.push(r);
      }
      return result;
    }
    const result = entry(events);
    if (result === undefined) throw new TypeError('the function returned nothing: return the events to keep (an empty array drops them all)');
    if (result !== null && typeof result.then === 'function') throw new TypeError('the function returned a promise: processors run synchronously, do not use async');
    if (!isArray(result)) throw new TypeError('the function must return an array of events, got ' + (result === null ? 'null' : typeof result));
    return result;
  }

  function run(input, fn) {
    logs = [];
    const batch = parse(input);
    const sources = batch.s.map(freeze);
    const keys = batch.k.map(freeze);
    const origin = new Map();
    const events = batch.e.map((r, i) => {
      origin.set(r[0], i);
      return new Event(r, sources, keys);
    });
    const result = fn(events);
    if (result.length > MAX_FANOUT * events.length + 16) throw new RangeError('the function returned ' + result.length + ' events for ' + events.length + ': more than ' + MAX_FANOUT + ' per input event');
    const out = [];
    for (let i = 0; i < result.length; i++) {
      const e = result[i];
      if (e === null || typeof e !== 'object' || isArray(e)) throw new TypeError('item ' + i + ' of the result is ' + (e === null ? 'null' : isArray(e) ? 'an array' : typeof e) + ', not an event');
      const o = origin.get(e.id);
      if (o === undefined) throw new TypeError('item ' + i + ' of the result is not one of the batch events (id ' + stringify(e.id) + '); modify the events or copy them with {...ev}, keeping id');
      out.push([o, e.before === undefined ? null : e.before, e.after === undefined ? null : e.after, e.tags === undefined ? null : e.tags, e.routing === undefined ? null : routeOf(e.routing) ?? null]);
    }
    return stringify({ out, logs });
  }

  g.__tidemark_run = (input) => run(input, call);

  // Compiles and warms this code path (parse, events, result, stringify) on synthetic events,
  // without the user's function, so the first real batch is not charged V8's cold start.
  g.__tidemark_warm = (n) => {
    const rows = [];
    for (let i = 0; i < n; i++) {
      const row = { id: i, name: 'row ' + i, amount: '12.50', flag: i % 2 === 0, doc: { a: [i, 'x'], b: null } };
      rows.push(['w' + i, 'u', 0, 0, row, row, 'tx', i, i === n - 1, 0, i % 3 ? 0 : ['t'], i % 2 ? 0 : { topic: 't', key: 'k', headers: { h: 'v' } }, 0]);
    }
    const input = stringify({ s: [{ connector: 'warm', name: 'warm', db: 'db', table: 't' }], k: [['id']], e: rows });
    for (let k = 0; k < 3; k++) run(input, (events) => events);
    delete g.__tidemark_warm;
    return true;
  };
})();
`;

/** Run after the user's script: finds its entry point, also when declared with const/let. */
export const BIND = `__tidemark_bind(typeof processBatch === 'function' ? ['batch', processBatch] : typeof process === 'function' ? ['batch', process] : typeof processEvent === 'function' ? ['event', processEvent] : null)`;
