import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TidemarkError } from '../errors/index.js';
import { expandTree, type ExpansionProblem } from './env-expand.js';
import { formatIssue, formatPath } from './format-issue.js';
import { pipelineSpec, type PipelineSpec } from './pipeline-spec.js';
import { knownKeysAt } from './schema-keys.js';

export interface LoadedPipeline {
  readonly spec: PipelineSpec;
  /** File the pipeline came from (as given, relative where possible) and its document index. */
  readonly origin: { readonly file: string; readonly document: number };
}

/** One problem, already phrased as `file: path: reason`. */
export interface ConfigProblem {
  readonly file: string;
  readonly path: string;
  readonly reason: string;
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}: ${p.path}: ${p.reason}`;
}

export class ConfigError extends TidemarkError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[], code: 'TIDEMARK_ERR_CONFIG_INVALID' | 'TIDEMARK_ERR_CONFIG_PARSE' | 'TIDEMARK_ERR_CONFIG_NOT_FOUND' | 'TIDEMARK_ERR_CONFIG_DUPLICATE' = 'TIDEMARK_ERR_CONFIG_INVALID') {
    super(code, problems.map(formatProblem).join('\n'), { context: { file: problems[0]?.file, path: problems[0]?.path } });
    this.problems = problems;
  }
}

/** Validate one already-parsed document (also used by the REST API for request bodies). */
export function validateSpec(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): { spec?: PipelineSpec; problems: ConfigProblem[] } {
  const expansion: ExpansionProblem[] = [];
  const expanded = expandTree(raw, env, expansion);
  const problems: ConfigProblem[] = expansion.map((p) => ({ file, path: formatPath(p.path), reason: p.message }));
  const parsed = pipelineSpec.safeParse(expanded, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const f of formatIssue(issue, (path) => knownKeysAt(pipelineSpec, expanded, path))) problems.push({ file, ...f });
    }
  }
  if (problems.length > 0 || !parsed.success) return { problems };
  return { spec: parsed.data, problems };
}

/** Parse and validate the YAML text of one file (one or more `---` documents). */
export function parsePipelines(text: string, file: string, env: NodeJS.ProcessEnv = process.env): LoadedPipeline[] {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const problems: ConfigProblem[] = [];
  const loaded: LoadedPipeline[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const where = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(document)';
        problems.push({ file, path: where, reason: e.message.split('\n')[0]! });
      }
      return;
    }
    const raw = doc.toJS({ maxAliasCount: 100 });
    if (raw === null || raw === undefined) return; // an empty document between separators
    const where = list.length > 1 ? `${file} (document ${index + 1})` : file;
    const result = validateSpec(raw, where, env);
    problems.push(...result.problems);
    if (result.spec) loaded.push({ spec: result.spec, origin: { file, document: index } });
  });
  if (problems.length > 0) {
    const parseFailed = list.some((d) => d.errors.length > 0);
    throw new ConfigError(problems, parseFailed ? 'TIDEMARK_ERR_CONFIG_PARSE' : 'TIDEMARK_ERR_CONFIG_INVALID');
  }
  if (loaded.length === 0) throw new ConfigError([{ file, path: '(document)', reason: 'no pipeline found in this file' }], 'TIDEMARK_ERR_CONFIG_NOT_FOUND');
  return loaded;
}

/** `--config` takes a file or a directory of `.yaml`/`.yml` files (sorted by name). */
export function loadPipelines(configPath: string, env: NodeJS.ProcessEnv = process.env): LoadedPipeline[] {
  let files: string[];
  try {
    files = statSync(configPath).isDirectory()
      ? readdirSync(configPath)
          .filter((f) => /\.ya?ml$/i.test(f))
          .sort()
          .map((f) => join(configPath, f))
      : [configPath];
  } catch {
    throw new ConfigError([{ file: configPath, path: '(file)', reason: 'no such file or directory' }], 'TIDEMARK_ERR_CONFIG_NOT_FOUND');
  }
  if (files.length === 0) throw new ConfigError([{ file: configPath, path: '(directory)', reason: 'holds no .yaml or .yml file' }], 'TIDEMARK_ERR_CONFIG_NOT_FOUND');

  const problems: ConfigProblem[] = [];
  const all: LoadedPipeline[] = [];
  for (const file of files) {
    const shown = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file) || file;
    try {
      all.push(...parsePipelines(readFileSync(file, 'utf8'), shown, env));
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  const byName = new Map<string, LoadedPipeline>();
  for (const p of all) {
    const prior = byName.get(p.spec.metadata.name);
    if (prior) problems.push({ file: p.origin.file, path: 'metadata.name', reason: `duplicate pipeline name "${p.spec.metadata.name}" (also in ${prior.origin.file})` });
    byName.set(p.spec.metadata.name, p);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return all;
}
