export * from './nemesis.js';
export { FAULTS, faultOf } from './registry.js';
export { NemesisScheduler, type ScheduledFault } from './scheduler.js';
export { toxicFor } from './proxy-faults.js';
