/**
 * Fingerprints of row images, so that checkers at scale compare a 32-bit number per image
 * instead of keeping every image as an object. The canonical form of a value follows the rules
 * of `valuesEqual` (docs/checkers.md, "Normalisation"): equal fingerprints imply equal values;
 * different fingerprints send the checker to the stored images, where `valuesEqual` decides
 * (so a fingerprint may be stricter than the rules, never looser).
 */
import { numericText, timestampText } from '../checkers/normalize.js';
import type { RowImage } from './types.js';

/** The fingerprint of "no image" (an insert's before, a delete's after). */
export const NO_IMAGE = 0;
/** Not judged: an update or delete whose before image the source does not name. */
export const NOT_JUDGED = 1;

/**
 * The columns an expected image names, in order, and which of them hold JSON documents. A sink
 * value is canonicalised over exactly these columns: columns only the sink has are not judged.
 */
export interface Shape {
  readonly columns: readonly string[];
  /** Per column: the expected value is a JSON document, so sink text is parsed as JSON. */
  readonly json: readonly boolean[];
}

/** FNV-1a over UTF-16 code units with a murmur3 finaliser, continuing from `h`. */
function mix(text: string, h: number): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  const u = h >>> 0;
  return u < 2 ? u + 2 : u; // 0 and 1 are NO_IMAGE and NOT_JUDGED
}

const SEED = 0x811c9dc5;

/** The shape of an expected image: its own columns, JSON where the value is a document. */
export function shapeOf(image: RowImage): Shape {
  const columns: string[] = [];
  const json: boolean[] = [];
  for (const c in image) {
    columns.push(c);
    const v = image[c];
    json.push(typeof v === 'object' && v !== null);
  }
  return { columns, json };
}

export function shapeSignature(shape: Shape): string {
  return `${shape.columns.join('\u0001')}\u0002${shape.json.map((j) => (j ? 1 : 0)).join('')}`;
}

/** Fingerprint of an expected (source) image over its shape; NO_IMAGE for null. */
export function expectedFingerprint(image: RowImage | null, shape: Shape): number {
  if (image === null) return NO_IMAGE;
  let h = SEED;
  const { columns } = shape;
  for (let i = 0; i < columns.length; i++) h = mix(canonical(image[columns[i]!], false), mix('\u0000', h));
  return finish(h);
}

/**
 * Fingerprint of a delivered (sink) image over the expected shape. Only this side parses JSON
 * text in a document column: a source that writes documents may deliver them as text (MariaDB).
 */
export function actualFingerprint(image: RowImage | null, shape: Shape): number {
  if (image === null) return NO_IMAGE;
  let h = SEED;
  const { columns, json } = shape;
  for (let i = 0; i < columns.length; i++) h = mix(canonical(image[columns[i]!], json[i]!), mix('\u0000', h));
  return finish(h);
}

/**
 * Canonical text of one value (docs/checkers.md, "Canonical forms"): `z` null, `n` + exact
 * decimal for numbers, numeric strings and booleans, `t` + UTC instant for date-times, `j` +
 * key-sorted JSON for documents, `s` + the string itself otherwise.
 */
export function canonical(v: unknown, parseJsonText: boolean): string {
  if (v === null || v === undefined) return 'z';
  switch (typeof v) {
    case 'number':
      // Integers and plain decimals print canonically already; the rest goes through numericText.
      if (Number.isInteger(v) && Math.abs(v) < 1e21) return `n${Object.is(v, -0) ? 0 : v}`;
      return numericText(v) === null ? `x${String(v)}` : `n${numericText(v)!}`;
    case 'boolean':
      return v ? 'n1' : 'n0';
    case 'bigint':
      return `n${v.toString()}`;
    case 'string':
      return canonicalString(v, parseJsonText);
    case 'object':
      return `j${canonicalJson(v)}`;
    default:
      return `x${String(v)}`;
  }
}

function canonicalString(v: string, parseJsonText: boolean): string {
  const c = v.charCodeAt(0);
  // Only strings starting like a number can be numeric: skip the regex for ordinary text.
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 32) {
    const plain = plainDecimal(v);
    if (plain !== null) return `n${plain}`;
    const n = numericText(v);
    if (n !== null) return `n${n}`;
    if (v.length >= 16 && v.charCodeAt(4) === 45) {
      const t = timestampText(v);
      if (t !== null) return `t${t}`;
    }
  }
  if (parseJsonText && (c === 123 || c === 91)) {
    try {
      return `j${canonicalJson(JSON.parse(v) as unknown)}`;
    } catch {
      return `s${v}`;
    }
  }
  return `s${v}`;
}

/**
 * `numericText` for the common case, a plain decimal (`-?digits(.digits)?`), by hand: DECIMAL
 * columns put one in nearly every image, and the regex dominated. Null for anything else.
 */
export function plainDecimal(v: string): string | null {
  const n = v.length;
  let i = v.charCodeAt(0) === 45 ? 1 : 0;
  const start = i;
  let point = -1;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 46 && point < 0) point = i;
    else if (c < 48 || c > 57) return null;
  }
  const intEnd = point < 0 ? n : point;
  if (intEnd === start || (point >= 0 && point === n - 1)) return null;
  let a = start;
  while (a < intEnd - 1 && v.charCodeAt(a) === 48) a++;
  let z = n;
  if (point >= 0) {
    while (z > point + 1 && v.charCodeAt(z - 1) === 48) z--;
    if (z === point + 1) z = point;
  }
  const body = v.slice(a, z);
  if (body === '0') return '0';
  return start === 1 ? `-${body}` : body;
}

/** JSON with object keys sorted and every leaf in its canonical form, each part length-prefixed. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) {
    let out = '[';
    for (const x of v) out += part(x);
    return `${out}]`;
  }
  if (typeof v !== 'object' || v === null) return part(v);
  const o = v as Record<string, unknown>;
  let out = '{';
  for (const k of Object.keys(o).sort()) out += `${k.length}:${k}${part(o[k])}`;
  return `${out}}`;
}

function part(x: unknown): string {
  const c = typeof x === 'object' && x !== null ? canonicalJson(x) : canonical(x, false);
  return `${c.length}:${c}`;
}

/** Two independent 32-bit hashes of a string (a 64-bit identity for idempotency keys). */
export function hashPair(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [finish(a), finish(b ^ text.length)];
}
