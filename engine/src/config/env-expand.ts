/**
 * `${VAR}` and `${VAR:-default}` expansion over the parsed YAML tree (not the raw text, so a
 * value containing YAML syntax cannot change the document's structure).
 *
 * An unset UPPER_CASE name is an error: `${MYSQL_DSN}` left literal would only fail later with
 * a confusing DSN error. Any other unset name (`${source.table}`, `${op}`, `${aggregate_type}`)
 * is a routing template and passes through untouched. A javascript processor's `inline` script
 * is not expanded at all.
 */
const PLACEHOLDER = /\$\{([^}:]+)(?::-([^}]*))?\}/g;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

export interface ExpansionProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export function expandString(value: string, env: NodeJS.ProcessEnv, onMissing: (name: string) => void): string {
  return value.replace(PLACEHOLDER, (whole, name: string, fallback: string | undefined) => {
    const v = env[name];
    if (v !== undefined) return v;
    if (fallback !== undefined) return fallback;
    if (ENV_NAME.test(name)) onMissing(name);
    return whole;
  });
}

export function expandTree(node: unknown, env: NodeJS.ProcessEnv, problems: ExpansionProblem[], path: (string | number)[] = []): unknown {
  if (typeof node === 'string') {
    if (isScript(path)) return node;
    return expandString(node, env, (name) =>
      problems.push({ path, message: `environment variable ${name} is not set (use \${${name}:-default} for a fallback)` }),
    );
  }
  if (Array.isArray(node)) return node.map((item, i) => expandTree(item, env, problems, [...path, i]));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = expandTree(v, env, problems, [...path, k]);
    return out;
  }
  return node;
}

/** A javascript processor's inline code is JavaScript, not config: its `${...}` are template literals. */
function isScript(path: readonly (string | number)[]): boolean {
  return path.length === 4 && path[0] === 'spec' && path[1] === 'processors' && path[3] === 'inline';
}
