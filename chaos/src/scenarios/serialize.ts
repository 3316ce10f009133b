import { Document, isSeq } from 'yaml';
import type { Scenario } from './scenario-schema.js';

/**
 * A scenario as YAML that `parseScenario` reads back to an equal value: keys in the documented
 * order, defaults written out. The random runner prints shrunk schedules this way.
 */
export function scenarioToYaml(s: Scenario, options: { comment?: string } = {}): string {
  const plain = {
    name: s.name,
    description: s.description,
    sources: s.sources,
    tags: s.tags,
    destructive: s.destructive,
    pipeline: s.pipeline,
    sinks: s.sinks,
    workload: s.workload,
    nemesis: s.nemesis.map((n) => ({ at: n.at, fault: n.fault, target: n.target, duration: n.duration, params: n.params })),
    checkers: s.checkers,
    deadline: s.deadline,
    expect: s.expect,
    ...(s.backlog ? { backlog: s.backlog } : {}),
    ...(s.soak ? { soak: s.soak } : {}),
    ...(s.tpcc ? { tpcc: s.tpcc } : {}),
    ...(s.overrides ? { overrides: s.overrides } : {}),
    ...(s.short ? { short: s.short } : {}),
    ...(s.requires && s.requires.length > 0 ? { requires: s.requires } : {}),
  };
  // No anchors: a shared params object must print as plain YAML twice.
  const doc = new Document(plain, { aliasDuplicateObjects: false });
  // Short lists read better inline: sources: [mysql, postgres].
  for (const key of ['sources', 'tags', 'checkers']) {
    const node = doc.get(key, true);
    if (isSeq(node)) node.flow = true;
  }
  if (options.comment) doc.commentBefore = options.comment.split('\n').map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
