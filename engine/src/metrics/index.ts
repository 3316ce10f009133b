export * from './hooks.js';
export { PrometheusMetrics, type PipelineStatusView } from './prometheus.js';
export { PipelineActivity, percentile, type ActivityWindow, type ActivityTotals } from './activity.js';
export { fanOutMetrics } from './fan-out.js';
