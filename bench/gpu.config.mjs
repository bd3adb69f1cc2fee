// Sampling for the GPU reports (FUSEBENCH_CONFIG=bench/gpu.config.mjs): a GPU run is quiet, so a size usually
// reaches the ±2% target within a few rounds; one process per size (gpuProcesses), justified by two back-to-back
// runs agreeing (docs/gate.md); at most 4 s per size.
export default {
  sampling: { rounds: 30, minRounds: 8, maxSecondsPerSize: 4, gpuProcesses: 1, targetHalfWidth: 0.02, deviceReps: 5 },
};
