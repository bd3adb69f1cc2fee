"""fp32 matmul rate with PyTorch on this GPU, for bench/cuda-perf.ts (same host, same run).
TF32 off, so torch runs true fp32 like fusebench's cuBLASLt COMPUTE_32F. Prints JSON.
Both timings of bench/cuda-perf.ts, CUDA-event medians of 10: `per_call_ms` brackets one `a @ b`;
`ms` brackets a run of back-to-back calls (20, or 3 from 4096 up) and divides by their number.
usage: python3 bench/cuda-matmul-torch.py 1024x1024x1024,4096x4096x4096"""
import json, sys
import torch

torch.backends.cuda.matmul.allow_tf32 = False
out = {"torch": torch.__version__, "cuda": torch.version.cuda, "gpu": torch.cuda.get_device_name(0), "results": []}


def median_ms(fn, runs=10):
    times = []
    for _ in range(runs):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        fn()
        e.record()
        e.synchronize()
        times.append(s.elapsed_time(e))
    times.sort()
    return times[len(times) // 2]


for spec in sys.argv[1].split(","):
    m, k, n = (int(v) for v in spec.split("x"))
    a = torch.rand(m, k, device="cuda")
    b = torch.rand(k, n, device="cuda")
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    reps = 3 if m >= 4096 else 20
    per_call = median_ms(lambda: a @ b)

    def run():
        for _ in range(reps):
            a @ b

    ms = median_ms(run) / reps
    flop = 2 * m * k * n
    out["results"].append({"m": m, "k": k, "n": n, "ms": ms, "tflops": flop / (ms * 1e9), "back_to_back": reps,
                           "per_call_ms": per_call, "per_call_tflops": flop / (per_call * 1e9)})
print(json.dumps(out))
