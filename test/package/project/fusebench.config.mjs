// Short sampling: the package test checks that everything works, not how fast.
export default { sampling: { quickRounds: 6, minRounds: 4, warmup: 1, warmupMs: 0, minSampleMs: 1, bootstrapResamples: 200, deviceReps: 1 } };
