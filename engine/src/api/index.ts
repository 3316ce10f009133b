export { buildApiServer, buildMetricsServer, listen, parseAddress, type ApiServer, type ApiServerOptions } from './server.js';
export { API_ERRORS, ApiError, type ApiErrorCode } from './errors.js';
export { buildOpenApi, openApiPath } from './openapi.js';
export type { RouteDoc } from './route-catalog.js';
export type { MetricsExposition } from './context.js';
export { startControlPlane, type ControlPlane, type ControlPlaneOptions } from './control-plane.js';
