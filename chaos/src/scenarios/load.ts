import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { formatIssue } from '@tidemark/engine/config/format-issue';
import { ConfigError, type ConfigProblem } from '@tidemark/engine/config/load';
import { knownKeysAt } from '@tidemark/engine/config/schema-keys';
import { parseDocument } from 'yaml';
import { templateEncodesAvro } from './pipeline-encoding.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export interface LoadedScenario {
  readonly scenario: Scenario;
  /** The YAML file it came from, as shown in errors. */
  readonly file: string;
  /** Absolute path of its pipeline template. */
  readonly pipelinePath: string;
}

/**
 * Parses and validates one scenario document. Problems are thrown together as a ConfigError,
 * each as `file: path: reason` (e.g. `scenarios/foo.yaml: nemesis[1].duration: expected ...`).
 */
export function parseScenario(text: string, file: string): Scenario {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({ file, path: e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(document)', reason: e.message.split('\n')[0]! })),
      'TIDEMARK_ERR_CONFIG_PARSE',
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const problems: ConfigProblem[] = [];
    for (const issue of parsed.error.issues) {
      for (const f of formatIssue(issue, (path) => knownKeysAt(scenarioSchema, raw, path))) problems.push({ file, ...f });
    }
    throw new ConfigError(problems);
  }
  return parsed.data;
}

/** Loads `scenarios/<name>.yaml`: its name must match the file, its pipeline must exist. */
export function loadScenarioFile(path: string, scenariosDir = join(path, '..')): LoadedScenario {
  const file = shown(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError([{ file, path: '(file)', reason: 'no such file or directory' }], 'TIDEMARK_ERR_CONFIG_NOT_FOUND');
  }
  const scenario = parseScenario(text, file);
  const problems: ConfigProblem[] = [];
  const stem = basename(path).replace(/\.ya?ml$/i, '');
  if (scenario.name !== stem) problems.push({ file, path: 'name', reason: `must match the file name "${stem}", got "${scenario.name}"` });
  const pipelinePath = join(scenariosDir, 'pipelines', scenario.pipeline);
  if (!existsSync(pipelinePath)) problems.push({ file, path: 'pipeline', reason: `no such file ${shown(pipelinePath)}; pipeline templates live in ${shown(join(scenariosDir, 'pipelines'))}/` });
  else {
    // The registry is in a run's topology only when its pipeline encodes Avro.
    const i = scenario.nemesis.findIndex((n) => n.target === 'schema-registry');
    if (i >= 0 && !templateEncodesAvro(pipelinePath)) problems.push({ file, path: `nemesis[${i}].target`, reason: `the pipeline ${scenario.pipeline} encodes no sink as Avro, so the run has no schema registry; use a template with encoding: avro (e.g. avro.yaml)` });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { scenario, file, pipelinePath };
}

/** Every `*.yaml` directly in `dir` (not pipelines/), sorted by name; all problems reported at once. */
export function loadScenarios(dir: string): LoadedScenario[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/i.test(f) && statSync(join(dir, f)).isFile())
      .sort();
  } catch {
    throw new ConfigError([{ file: shown(dir), path: '(directory)', reason: 'no such directory' }], 'TIDEMARK_ERR_CONFIG_NOT_FOUND');
  }
  const problems: ConfigProblem[] = [];
  const loaded: LoadedScenario[] = [];
  for (const f of files) {
    try {
      loaded.push(loadScenarioFile(join(dir, f), dir));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
