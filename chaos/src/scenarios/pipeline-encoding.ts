import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * Whether a pipeline document (a scenario's template or the rendered spec) has a sink with
 * `encoding: avro` (the bare word or `{type: avro}`): such a run needs the schema registry in
 * its topology, and its readers decode through it.
 */
export function encodesAvro(doc: unknown): boolean {
  const sinks = (doc as { spec?: { sinks?: unknown } } | null)?.spec?.sinks;
  if (!Array.isArray(sinks)) return false;
  return sinks.some((sink: unknown) => {
    const encoding = (sink as { config?: { encoding?: unknown } } | null)?.config?.encoding;
    return encoding === 'avro' || (typeof encoding === 'object' && encoding !== null && (encoding as { type?: unknown }).type === 'avro');
  });
}

/** `encodesAvro` of a template file; a file that does not parse is the renderer's to report. */
export function templateEncodesAvro(path: string): boolean {
  try {
    return encodesAvro(parse(readFileSync(path, 'utf8')));
  } catch {
    return false;
  }
}
