"""fp32 matmul rate with PyTorch on this GPU, for bench/cuda-perf.ts (same host, same run).
TF32 off, so torch runs true fp32 like fusebench's cuBLASLt COMPUTE_32F. Prints JSON.
usage: python3 bench/cuda-matmul-torch.py 1024x1024x1024,4096x4096x4096"""
import json, sys
import torch

torch.backends.cuda.matmul.allow_tf32 = False
out = {"torch": torch.__version__, "cuda": torch.version.cuda, "gpu": torch.cuda.get_device_name(0), "results": []}
for spec in sys.argv[1].split(","):
    m, k, n = (int(v) for v in spec.split("x"))
    a = torch.rand(m, k, device="cuda")
    b = torch.rand(k, n, device="cuda")
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    times = []
    for _ in range(10):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        a @ b
        e.record()
        e.synchronize()
        times.append(s.elapsed_time(e))
    times.sort()
    ms = times[len(times) // 2]
    out["results"].append({"m": m, "k": k, "n": n, "ms": ms, "tflops": 2 * m * k * n / (ms * 1e9)})
print(json.dumps(out))
