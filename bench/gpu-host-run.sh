#!/usr/bin/env bash
# One GPU-host session's worth of fusebench runs, in the order the device time is best spent. On the GPU host:
#   source .gpu-host/enter.sh && bash bench/gpu-host-run.sh a|b|c /tmp/out; tar czf $OUT/out.tgz -C /tmp out
# Each step has its own time limit and its own log; a step that fails does not stop the next.
set -u
stage=$1
out=$2
mkdir -p "$out"
export PYTHONUNBUFFERED=1 FUSEBENCH_PYTHON=${FUSEBENCH_PYTHON:-python3} FUSEBENCH_CONFIG=bench/gpu.config.mjs FUSEBENCH_CUDA_CACHE=/tmp/fb-cuda-cache
step() { # step NAME SECONDS command…
  local name=$1 limit=$2; shift 2
  local t0=$SECONDS
  timeout "$limit" "$@" > "$out/$name.log" 2>&1
  echo "$name: exit $? in $((SECONDS - t0)) s" | tee -a "$out/steps.txt"
}
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,temperature.gpu,power.draw --format=csv > "$out/smi.txt" 2>&1
case $stage in
  a) # cuda: the report (suites and pipelines), then the SDPA kernel check (all three arithmetic paths)
    step report 400 npx tsx bench/gpu.ts --backends cuda --skip-torch --out "$out/reports"
    step sdpa 110 npx tsx bench/sdpa-check.ts --out "$out/sdpa.json"
    ;;
  b) # PyTorch at the same sizes (its own step: torch.compile per size is slow), cuda again for run-to-run agreement,
     # conformance and the dispatch cost
    npx tsx bench/export-sizes.ts --out "$out/sizes.json"
    step torch 300 "$FUSEBENCH_PYTHON" bench/torch-reference.py --sizes "$out/sizes.json" --out "$out/torch-reference.json" --budget-s 260 --warmup 0.1
    step again 150 npx tsx bench/gpu.ts --backends cuda --skip-torch --skip-macro --out "$out/again" ${AGAIN_PATTERNS:+--patterns $AGAIN_PATTERNS}
    [ -f conformance/run.ts ] && step conformance 40 npx tsx conformance/run.ts --backend cuda --json "$out/conformance-cuda.json"
    [ -f bench/cuda-dispatch.ts ] && step dispatch 30 npx tsx bench/cuda-dispatch.ts --out "$out/dispatch.json"
    ;;
  c) # webgpu (Dawn): the report, then its SDPA kernel check; PyTorch's JSON from stage b is put beside it when rendered
    step report 380 npx tsx bench/gpu.ts --backends webgpu --skip-torch --out "$out/reports"
    step sdpa-webgpu 110 npx tsx bench/sdpa-check-webgpu.ts --out "$out/sdpa-webgpu.json"
    ;;
  *) echo "gpu-host-run.sh: stage must be a, b or c (got '$stage')" >&2; exit 2 ;;
esac
for f in "$out"/reports/*/*/results.json; do [ -f "$f" ] && npx tsx bench/gpu-timing-check.ts "$f" --json "${f%/results.json}/timing-check.json" >> "$out/checks.txt" 2>&1; done
a=$(ls "$out"/reports/*/cuda/results.json 2>/dev/null | head -1); b=$(ls "$out"/again/*/cuda/results.json 2>/dev/null | head -1)
[ -n "$a" ] && [ -n "$b" ] && npx tsx bench/run-agreement.ts "$a" "$b" --min-ms 0.02 >> "$out/checks.txt" 2>&1
cat "$out/steps.txt"; tail -n 40 "$out/checks.txt" 2>/dev/null
