import type { JavascriptProcessorSpec } from '../../config/processors.js';
import { TidemarkError } from '../../errors/index.js';
import type { Processor, ProcessorContext } from '../processor.js';
import { loadIsolatedVm } from './isolated-vm.js';
import { Sandbox } from './sandbox.js';
import { scriptSource } from './script-source.js';
import { decodeResult, encodeBatch } from './wire.js';

/**
 * The reference's JavaScript processor, sandboxed with isolated-vm and with its `limits`
 * enforced (the reference documents them but does not enforce them). The script defines
 * `processBatch(events)` (or `process(events)`) returning the events to keep, or
 * `processEvent(event)` returning an event, a list of events, or null to drop it; events can be
 * modified in place, copied with `{...ev}` (keeping `id`), and routed with `ev.route()`.
 * docs/processors.md describes the sandbox's guarantees.
 */
export function javascriptProcessor(spec: JavascriptProcessorSpec, ctx: ProcessorContext): Processor {
  const named = (e: TidemarkError) => new TidemarkError(e.code, `javascript processor ${spec.id}: ${e.message}`, { cause: e.cause, kind: e.kind, context: { ...e.context, processor: spec.id } });
  let sandbox: Sandbox;
  try {
    const { code, filename } = scriptSource(spec);
    sandbox = new Sandbox(loadIsolatedVm(), code, filename, spec.limits, (message) =>
      ctx.logger.error({ processor: spec.id, message }, 'isolated-vm lost control of the isolate; it is replaced, but consider restarting the engine'),
    );
    sandbox.checkSyntax();
  } catch (e) {
    throw e instanceof TidemarkError ? named(e) : e;
  }
  return {
    id: spec.id,
    async process(events) {
      if (events.length === 0) return events;
      let text: string;
      try {
        text = await sandbox.call(encodeBatch(events));
      } catch (e) {
        if (!(e instanceof TidemarkError)) throw e;
        if (e.code === 'TIDEMARK_ERR_PROCESSOR_LIMIT') ctx.metrics.limitExceeded(String(e.context.limit));
        throw named(e);
      }
      const { events: out, logs } = decodeResult(spec.id, events, text);
      for (const [level, line] of logs.slice(0, 20)) ctx.logger[level === 'error' ? 'warn' : level]({ processor: spec.id, script: line }, 'script console');
      return out;
    },
    close: () => sandbox.dispose(),
  };
}
