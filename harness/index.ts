/** The public API of fusebench: `import { defineSuite, ... } from 'fusebench'`. */
export { defineSuite, registeredSuites } from './core/suite.ts';
export { definePipeline, registeredPipelines, exact } from './core/pipeline.ts';
export { PipelineDeclarationError, SuiteDeclarationError, UsageError } from './core/errors.ts';
export { defineConfig, defaultConfig, loadConfig } from './core/config.ts';
export type { FusebenchConfig } from './core/config.ts';
export { uniform, normal, trits } from './core/inputs.ts';
export * as ref from './core/reference.ts';
export { amdahl, bootstrapRatioOfMedians, geomean, median, quantile } from './core/stats.ts';
export { verdictFor, decisionFor, judge } from './core/verdicts.ts';
export type * from './core/types.ts';
export { runSuites } from './run.ts';
export { loadBenchFiles, loadSuiteFiles } from './load.ts';
export { renderReport } from './report/markdown.ts';
export { assertValidResults } from './schema.ts';
export { writeRunOutputs } from './output.ts';
export { CostModel } from './costmodel/index.ts';
export { loadCalibration } from './calibration/index.ts';
export { renderRoofline, roofsFromProfiles } from './report/roofline.ts';
