/** The public API of fusebench: `import { defineSuite, ... } from 'fusebench'`. */
export { defineSuite, SuiteDeclarationError, registeredSuites } from './suite.ts';
export { defineConfig, defaultConfig, loadConfig } from './config.ts';
export type { FusebenchConfig } from './config.ts';
export { uniform, normal, trits } from './inputs.ts';
export * as ref from './reference.ts';
export { bootstrapRatioOfMedians, median, quantile } from './stats.ts';
export { verdictFor, decisionFor, judge } from './verdicts.ts';
export type * from './types.ts';
export { runSuites } from './run.ts';
export { loadSuiteFiles } from './load.ts';
export { renderReport } from './report/markdown.ts';
export { assertValidResults } from './schema.ts';
export { writeRunOutputs } from './output.ts';
export { CostModel } from './costmodel/index.ts';
export { loadCalibration } from './calibration/index.ts';
export { renderRoofline, roofsFromProfiles } from './report/roofline.ts';
