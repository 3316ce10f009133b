import type { z } from 'zod';

/** `spec.sinks[0].config.brokers` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(document)' : out;
}

/** One readable reason per zod issue; unknown keys get a "did you mean" when one is close. */
export function formatIssue(issue: z.core.$ZodIssue, knownKeys?: (path: readonly PropertyKey[]) => string[]): { path: string; reason: string }[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys?.(issue.path) ?? [];
    return issue.keys.map((key) => {
      const guess = closest(key, known);
      return {
        path: formatPath([...issue.path, key]),
        reason: `unknown field${guess ? ` (did you mean "${guess}"?)` : known.length ? ` (expected one of: ${known.join(', ')})` : ''}`,
      };
    });
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path: formatPath(issue.path), reason: 'required field is missing' }];
  }
  return [{ path: formatPath(issue.path), reason: issue.message }];
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = levenshtein(word, c);
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
