import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JavascriptProcessorSpec } from '../../config/processors.js';
import { TidemarkError } from '../../errors/index.js';

/** The processor's code: `inline`, or the contents of `file` (relative to the working directory). */
export function scriptSource(spec: JavascriptProcessorSpec): { code: string; filename: string } {
  if (spec.inline !== undefined) return { code: spec.inline, filename: `processor:${spec.id}` };
  const path = resolve(spec.file!);
  try {
    return { code: readFileSync(path, 'utf8'), filename: path };
  } catch (e) {
    throw new TidemarkError('TIDEMARK_ERR_PROCESSOR_COMPILE', `javascript processor ${spec.id}: cannot read its script file ${path}: ${(e as Error).message}`, { cause: e, context: { processor: spec.id, file: path } });
  }
}
