export * from './faults.js';
export { scenarioSchema, expectSchema, defaultCheckers, SOURCE_FAMILIES, SINK_KINDS, type Scenario, type SourceFamily, type Workload, type ScenarioExpect } from './scenario-schema.js';
export { parseScenario, loadScenarioFile, loadScenarios, type LoadedScenario } from './load.js';
export { scenarioToYaml } from './serialize.js';
export { faultScheduleArbitrary, saneSchedule, RANDOM_FAULT_KINDS, type ScheduleOptions } from './schedule-arbitrary.js';
export { withSchedule } from './with-schedule.js';
export { backlogSchema, soakSchema, tpccSchema, overridesSchema, shortSchema, SOAK_FAULT_KINDS, type Backlog, type Soak, type Tpcc, type Overrides, type Short } from './modes.js';
export { encodesAvro, templateEncodesAvro } from './pipeline-encoding.js';
