/** Pure NATS subject rules: what may be published to, and which stream filters capture it. */

/** A problem with a subject to publish to, or null when it is valid. */
export function subjectProblem(subject: string): string | null {
  if (/\s/.test(subject)) return 'contains whitespace';
  const tokens = subject.split('.');
  if (tokens.some((t) => t === '')) return 'has an empty token (leading, trailing or double ".")';
  if (tokens.some((t) => t === '*' || t === '>')) return 'contains a wildcard (* or >), which cannot be published to';
  return null;
}

/** Whether a stream subject filter (with * and >) captures a concrete subject. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

/**
 * The stream filter a subject template needs when the sink creates the stream: each token with a
 * variable becomes `*`, and a variable in the last token `>` (a value may itself contain dots).
 *   cdc.${source.db}.${source.table}  ->  cdc.*.>
 */
export function templateFilter(template: string): string {
  const tokens: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of template) {
    if (ch === '{' && current.endsWith('$')) depth++;
    else if (ch === '}' && depth > 0) depth--;
    if (ch === '.' && depth === 0) {
      tokens.push(current);
      current = '';
    } else current += ch;
  }
  tokens.push(current);
  return tokens.map((t, i) => (t.includes('${') ? (i === tokens.length - 1 ? '>' : '*') : t)).join('.');
}
