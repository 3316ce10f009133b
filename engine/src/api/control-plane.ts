import type { FastifyInstance } from 'fastify';
import type { CheckpointBackend } from '../checkpoints/index.js';
import type { Logger } from '../logging/logger.js';
import type { PrometheusMetrics } from '../metrics/index.js';
import type { LogLevelControl, PipelineManager } from '../runtime/index.js';
import { buildApiServer, buildMetricsServer, listen, parseAddress } from './server.js';

export interface ControlPlaneOptions {
  readonly manager: PipelineManager;
  readonly backend: CheckpointBackend;
  readonly logger: Logger;
  readonly logControl: LogLevelControl;
  readonly metrics: PrometheusMetrics;
  readonly apiAddr: string;
  /** The same as apiAddr serves /metrics on the API server (behind the token, if any). */
  readonly metricsAddr: string;
  readonly token?: string;
  readonly version: string;
  readonly isReady: () => boolean;
}

export interface ControlPlane {
  /** Bound addresses (`host:port`), resolved when port 0 was asked for. */
  readonly apiAddr: string;
  readonly metricsAddr: string;
  close(): Promise<void>;
}

/** Starts the REST API and the metrics listener. */
export async function startControlPlane(o: ControlPlaneOptions): Promise<ControlPlane> {
  // Port 0 twice means two free ports, not one shared listener.
  const shared = o.metricsAddr === o.apiAddr && parseAddress(o.apiAddr).port !== 0;
  const { app } = await buildApiServer({
    manager: o.manager,
    backend: o.backend,
    logger: o.logger,
    logControl: o.logControl,
    version: o.version,
    token: o.token,
    isReady: o.isReady,
    metrics: shared ? o.metrics : undefined,
    recordRequest: (route, method, status, seconds) => o.metrics.apiRequest(route, method, status, seconds),
  });
  const servers: FastifyInstance[] = [app];
  const apiAddr = await listen(app, o.apiAddr);
  let metricsAddr = apiAddr;
  if (!shared) {
    const metricsApp = await buildMetricsServer(o.metrics);
    servers.push(metricsApp);
    metricsAddr = await listen(metricsApp, o.metricsAddr);
  }
  o.logger.info({ api: `http://${apiAddr}`, metrics: `http://${metricsAddr}/metrics`, auth: o.token ? 'bearer token' : 'none' }, 'control plane listening');
  return {
    apiAddr,
    metricsAddr,
    close: async () => {
      await Promise.allSettled(servers.map((s) => s.close()));
    },
  };
}
