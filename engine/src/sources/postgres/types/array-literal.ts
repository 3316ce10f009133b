/** One element of a parsed array literal: text, SQL NULL, or a nested dimension. */
export type ArrayElement = string | null | ArrayElement[];

/**
 * Parses the text form of a Postgres array (`{1,2,NULL}`, `{{"a b","c\"d"},{x,NULL}}`,
 * `[0:1]={1,2}`) into nested arrays of element texts. Unquoted NULL is SQL NULL; a quoted
 * "NULL" is the string. Lower-bound decorations are dropped: JSON arrays start at 0.
 */
export function parseArrayLiteral(text: string, delimiter = ','): ArrayElement[] {
  let i = 0;
  if (text[0] === '[') {
    const eq = text.indexOf('=');
    if (eq < 0) throw new RangeError(`array literal with bounds but no "=": ${preview(text)}`);
    i = eq + 1;
  }
  const fail = (what: string): never => {
    throw new RangeError(`bad array literal at character ${i + 1} (${what}): ${preview(text)}`);
  };

  const parseDimension = (): ArrayElement[] => {
    if (text[i] !== '{') fail('expected "{"');
    i++;
    const out: ArrayElement[] = [];
    skipSpace();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (text[i] === '{') out.push(parseDimension());
      else if (text[i] === '"') out.push(parseQuoted());
      else out.push(parseUnquoted());
      skipSpace();
      const c = text[i];
      if (c === delimiter) i++;
      else if (c === '}') {
        i++;
        return out;
      } else fail(`expected "${delimiter}" or "}"`);
    }
  };

  const parseQuoted = (): string => {
    i++;
    let s = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      s += text[i++];
    }
    if (text[i] !== '"') fail('unterminated quoted element');
    i++;
    return s;
  };

  const parseUnquoted = (): string | null => {
    let s = '';
    let escaped = false;
    while (i < text.length && text[i] !== delimiter && text[i] !== '}') {
      if (text[i] === '\\') {
        escaped = true;
        i++;
      }
      s += text[i++];
    }
    const trimmed = s.trim();
    if (trimmed.length === 0) fail('empty element');
    return !escaped && trimmed.toUpperCase() === 'NULL' ? null : trimmed;
  };

  function skipSpace(): void {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  }

  const result = parseDimension();
  skipSpace();
  if (i !== text.length) fail('trailing characters');
  return result;
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}
