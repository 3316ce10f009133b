import type { FaultEvent, Verdict } from '../history/index.js';
import type { Driven, RunState } from './run-state.js';

/** What a precondition looks at: the run as it ended, with its verdicts. */
interface Evidence {
  readonly s: RunState;
  readonly d: Driven;
  readonly verdicts: readonly Verdict[];
}

type Fact = { readonly met: boolean; readonly fact: string };

const SINKS = new Set(['kafka', 'redis', 'nats', 'http']);
const OUTAGES = new Set(['partition', 'timeout', 'kill-server', 'restart-server', 'http-error', 'http-reset']);
const KILLS = new Set(['kill-engine', 'term-engine']);
const LOST_REPLIES = new Set(['reset_peer', 'timeout', 'http-reset']);

const overlap = (a: FaultEvent, b: FaultEvent) => a.at <= (b.until ?? Infinity) && b.at <= (a.until ?? Infinity);

/**
 * The paths a scenario may declare it exists to exercise (`requires:`), each with the fact of
 * the run that shows it happened. A run whose preconditions did not all happen proves nothing
 * about them: its verdict is `unknown`, never `valid` (docs/chaos.md, "Preconditions").
 */
export const PRECONDITIONS: Readonly<Record<string, (e: Evidence) => Fact>> = {
  'faults-injected': ({ d }) => ({ met: d.faults.length > 0, fact: `${d.faults.length} faults injected` }),
  'engine-restarted': ({ s }) => ({ met: s.engine.exits.length > 0, fact: `the engine process exited ${s.engine.exits.length} times (${s.engine.exits.map((x) => x.signal ?? `code ${x.code}`).join(', ') || 'never'})` }),
  replays: ({ verdicts, s }) => {
    // On the at-least-once histories: an exactly-once sink read as a consumer sees it has none to show.
    const eo = new Set(Object.entries(s.run.scenario.sinks).filter(([, v]) => (v as { exactly_once?: boolean }).exactly_once).map(([k]) => k));
    const alo = verdicts.filter((v) => v.checker === 'duplicated' && v.sink && (!eo.has(v.sink.split(' ')[0]!) || v.sink.includes('read_uncommitted')));
    const replays = alo.reduce((n, v) => n + (v.counts.exactReplays ?? 0), 0);
    return { met: replays > 0, fact: `${replays} exact replays on the at-least-once sinks` };
  },
  'restart-during-sink-outage': ({ d }) => {
    const hits = d.faults.filter((k) => KILLS.has(k.kind) && d.faults.some((o) => OUTAGES.has(o.kind) && SINKS.has(o.target) && overlap(k, o)));
    return { met: hits.length > 0, fact: `${hits.length} engine kills while a sink was out` };
  },
  'lost-replies-with-kill': ({ d, s }) => {
    const eo = new Set(Object.entries(s.run.scenario.sinks).filter(([, v]) => (v as { exactly_once?: boolean }).exactly_once).map(([k]) => k));
    const hits = d.faults.filter((t) => LOST_REPLIES.has(t.kind) && eo.has(t.target) && d.faults.some((k) => KILLS.has(k.kind) && k.at >= t.at && k.at <= (t.until ?? Infinity) + 5000));
    return { met: hits.length > 0, fact: `${hits.length} lost-reply faults on an exactly-once sink followed by an engine kill` };
  },
  'ddl-mid-stream': ({ d }) => ({ met: d.history.schemaChanges.length > 0, fact: `${d.history.schemaChanges.length} schema changes under load` }),
  'large-transactions': ({ d }) => {
    let largest = 0;
    for (let t = 0; t < d.history.txnCount; t++) if (d.history.acknowledged(t)) largest = Math.max(largest, d.history.tCount.get(t));
    return { met: largest >= 1000, fact: `largest acknowledged transaction: ${largest} row versions` };
  },
  'periodic-checks': ({ s }) => ({ met: s.interim.length >= 2, fact: `${s.interim.length} periodic checks` }),
  'dlq-entries': ({ s }) => ({ met: (s.measurements.dlq_entries ?? 0) > 0, fact: `${s.measurements.dlq_entries ?? 0} DLQ entries` }),
  'dlq-overflowed': ({ s }) => {
    const { dlq_evicted: evicted = 0, dlq_rejected: rejected = 0, dlq_acked: acked = 0 } = s.measurements;
    return { met: evicted + rejected > 0 || acked > 0, fact: `the DLQ's bound was hit: ${evicted} evicted, ${rejected} rejected, ${acked} acknowledged by the harness to make room` };
  },
  'http-refusals': ({ s }) => ({ met: (s.measurements.http_refused ?? 0) > 0, fact: `the HTTP receiver refused ${s.measurements.http_refused ?? 0} requests (5xx, 429, resets)` }),
  'backlog-drained': ({ s }) => ({ met: (s.measurements.events_per_s ?? 0) > 0, fact: `drained at ${s.measurements.events_per_s ?? 0} events/s` }),
};

export const PRECONDITION_NAMES = Object.keys(PRECONDITIONS);

/** One verdict for the scenario's `requires:` list: valid when every path happened, unknown otherwise. */
export function preconditionVerdicts(s: RunState, d: Driven, verdicts: readonly Verdict[]): Verdict[] {
  const required = s.run.scenario.requires ?? [];
  if (required.length === 0) return [];
  const facts = required.map((name) => ({ name, ...(PRECONDITIONS[name]?.({ s, d, verdicts }) ?? { met: false, fact: 'no such precondition' }) }));
  const unmet = facts.filter((f) => !f.met);
  return [
    {
      checker: 'preconditions',
      validity: unmet.length === 0 ? 'valid' : 'unknown',
      summary: unmet.length === 0 ? `every path the scenario exists to exercise happened (${required.join(', ')})` : `the run did not exercise ${unmet.map((f) => `${f.name} (${f.fact})`).join('; ')}: it proves nothing about them`,
      counts: { required: required.length, unmet: unmet.length },
      examples: facts.map((f) => ({ precondition: f.name, met: f.met, fact: f.fact })),
    },
  ];
}
