import type { z } from 'zod';
import type { ScenarioInput } from './scenario-schema.js';

const FAMILY_OF_TARGET: Record<string, 'mysql' | 'postgres'> = { mysql: 'mysql', 'mysql-b': 'mysql', postgres: 'postgres', 'postgres-b': 'postgres' };
const FAMILY_OF_FAULT: Record<string, 'mysql' | 'postgres'> = { 'binlog-purge': 'mysql', 'slot-drop': 'postgres' };
const SINK_TARGETS = new Set(['kafka', 'redis', 'nats', 'http']);

/** Rules that span fields: faults within the run, on servers the scenario has, checkers that can hold. */
export function crossCheck(s: ScenarioInput, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (!s.workload && !s.backlog) issue(['workload'], 'required field is missing (only a backlog scenario may leave it out)');
  const workload = s.workload ?? { duration: 0 };
  if (s.backlog && s.nemesis.length > 0) issue(['nemesis'], 'a backlog scenario has no fault schedule: it times a drain without faults (use soak for faults under load)');
  if ([s.backlog, s.soak, s.tpcc].filter(Boolean).length > 1 && !(s.soak && s.tpcc)) issue(['backlog'], 'backlog cannot be combined with soak or tpcc');
  const seen = new Set<string>();
  s.sources.forEach((f, i) => {
    if (seen.has(f)) issue(['sources', i], `"${f}" is listed twice`);
    seen.add(f);
  });
  s.nemesis.forEach((step, i) => {
    if (step.at >= workload.duration) issue(['nemesis', i, 'at'], `must be before the workload ends (${workload.duration} s), got ${step.at}`);
    if (step.at + step.duration > workload.duration + s.deadline) {
      issue(['nemesis', i, 'duration'], `the fault must heal before the deadline ends (workload ${workload.duration} s + deadline ${s.deadline} s), but it lasts until ${step.at + step.duration} s`);
    }
    const family = FAMILY_OF_FAULT[step.fault] ?? FAMILY_OF_TARGET[step.target];
    if (family && s.sources.some((f) => f !== family)) {
      const why = FAMILY_OF_FAULT[step.fault] ? `${step.fault} exists only for ${family}` : `target ${step.target} is a ${family} server`;
      issue(['nemesis', i, FAMILY_OF_FAULT[step.fault] ? 'fault' : 'target'], `${why}, but the scenario also runs for ${s.sources.filter((f) => f !== family).join(', ')}; use target: source or limit sources to [${family}]`);
    }
    if (SINK_TARGETS.has(step.target) && !s.sinks[step.target as keyof ScenarioInput['sinks']]) {
      issue(['nemesis', i, 'target'], `the scenario attaches no ${step.target} sink (sinks: ${Object.keys(s.sinks).join(', ')})`);
    }
  });
  const names = new Set<string>();
  s.checkers?.forEach((name, i) => {
    if (names.has(name)) issue(['checkers', i], `"${name}" is listed twice`);
    names.add(name);
    if (name === 'leak' && !s.soak) issue(['checkers', i], 'leak judges the engine memory only a soak samples; add a soak block or drop it');
    if (s.expect.outcome === 'halted' && (name === 'lost' || name === 'stalled' || name === 'state')) {
      issue(['checkers', i], `${name} cannot hold when the pipeline is expected to halt (versions written after the halt never arrive); the expectation checker judges that nothing was skipped`);
    }
  });
}
