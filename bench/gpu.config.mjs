// Sampling for the GPU reports (FUSEBENCH_CONFIG=bench/gpu.config.mjs): a GPU run is quiet, so a size usually
// reaches the ±2% target within a few rounds; at most 4 s per size. One process per size (gpuProcesses) to fit the
// device budget; the default is 2 until this is shown to be enough: gpu-host-run.sh b measures cuda a second time,
// in new processes, and bench/run-agreement.ts on the two runs is that check (not yet run: no GPU since 2026-12-04).
export default {
  sampling: { rounds: 30, minRounds: 8, maxSecondsPerSize: 4, gpuProcesses: 1, targetHalfWidth: 0.02, deviceReps: 5 },
};
