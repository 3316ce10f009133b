export { Pipeline, type PipelineDeps } from './pipeline.js';
export { PipelineManager, type HealthReport } from './pipeline-manager.js';
