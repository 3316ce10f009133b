import type { Fault } from './nemesis.js';
import { serviceOf } from './nemesis.js';

/** SIGKILL the engine; it is started again when the fault heals (duration 0: at once). */
export const killEngine: Fault = {
  kind: 'kill-engine',
  async inject(ctx) {
    await ctx.engine.kill();
    return () => ctx.engine.start();
  },
};

/** SIGTERM the engine (graceful stop, checkpoints saved); started again on heal. */
export const termEngine: Fault = {
  kind: 'term-engine',
  async inject(ctx) {
    await ctx.engine.stop();
    return () => ctx.engine.start();
  },
};

/** SIGKILL a server (database or broker); started again with its data on heal. */
export const killServer: Fault = {
  kind: 'kill-server',
  async inject(ctx, target) {
    const handle = ctx.topology.get(serviceOf(ctx, target));
    await handle.kill();
    return () => handle.start();
  },
};

/** Graceful stop of a server (a clean disconnect for every client); started again on heal. */
export const restartServer: Fault = {
  kind: 'restart-server',
  async inject(ctx, target) {
    const handle = ctx.topology.get(serviceOf(ctx, target));
    await handle.stop();
    return () => handle.start();
  },
};
