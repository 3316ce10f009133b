import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { LoadedPipeline } from '../config/index.js';
import { isPlainObject } from './deep-merge.js';

/** A pipeline from a --config file, with the document as written (before `${ENV}` expansion). */
export interface ConfigDocument {
  readonly loaded: LoadedPipeline;
  readonly document: unknown;
  readonly sha256: string;
}

/**
 * Keeps the raw document next to the validated spec: PATCH merges into what the operator
 * wrote, so `${ENV}` references (often secrets) stay references when a change is persisted.
 */
export function configDocuments(loaded: readonly LoadedPipeline[]): ConfigDocument[] {
  const byFile = new Map<string, unknown[]>();
  return loaded.map((p) => {
    let docs = byFile.get(p.origin.file);
    if (!docs) {
      docs = parseAllDocuments(readFileSync(p.origin.file, 'utf8')).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
      byFile.set(p.origin.file, docs);
    }
    const document = docs[p.origin.document] ?? p.spec;
    return { loaded: p, document, sha256: documentHash(document) };
  });
}

/** sha256 of the document's canonical JSON (keys sorted), so formatting changes do not count. */
export function documentHash(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
