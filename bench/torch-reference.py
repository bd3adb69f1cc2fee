"""PyTorch reference for fusebench's patterns on this GPU: eager (unfused) vs torch.compile (fused),
fp32, TF32 off, CUDA-event timing (median of --reps). Writes JSON atomically to --out.
usage: python3 bench/torch-reference.py --out torch-reference.json [--quick] [--reps 20]"""
import argparse, json, math, os, platform, tempfile, time
import torch
import torch.nn.functional as F

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False


def gelu_exact(x):
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))


# id -> (sizes full, sizes quick, input builder, function); functions are written op by op (eager = unfused).
def linear(act):
    def f(a, w, b):
        y = a @ w + b
        return {"linear": lambda y: y, "relu": torch.relu, "gelu": gelu_exact, "silu": lambda y: y * torch.sigmoid(y)}[act](y)
    return f


PATTERNS = {
    "Linear_Bias_ReLU": ([(512, 768, 3072), (2048, 1024, 4096)], [(512, 768, 3072)], lambda m, k, n: [torch.randn(m, k), torch.randn(k, n), torch.randn(n)], linear("relu")),
    "Linear_Bias_GELU": ([(512, 768, 3072), (2048, 1024, 4096)], [(512, 768, 3072)], lambda m, k, n: [torch.randn(m, k), torch.randn(k, n), torch.randn(n)], linear("gelu")),
    "Linear_Bias_SiLU": ([(512, 768, 3072), (2048, 1024, 4096)], [(512, 768, 3072)], lambda m, k, n: [torch.randn(m, k), torch.randn(k, n), torch.randn(n)], linear("silu")),
    "Add_ReLU": ([(1 << 20,), (1 << 24,), (1 << 26,)], [(1 << 24,)], lambda n: [torch.randn(n), torch.randn(n)], lambda a, b: torch.relu(a + b)),
    "LayerNorm": ([(4096, 768), (16384, 1024)], [(4096, 768)], lambda r, d: [torch.randn(r, d), torch.randn(d), torch.randn(d)],
                  lambda x, g, b: ((x - x.mean(-1, keepdim=True)) / torch.sqrt(((x - x.mean(-1, keepdim=True)) ** 2).mean(-1, keepdim=True) + 1e-5)) * g + b),
    "SDPA": ([(12, 512, 64), (12, 1024, 64), (16, 2048, 64)], [(12, 512, 64)], lambda bh, s, d: [torch.randn(bh, s, d) for _ in range(3)],
             lambda q, k, v: torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), -1) @ v),
    "Ternary_Fused3_tadd_tmul": ([(1 << 24,), (1 << 26,)], [(1 << 24,)], lambda n: [torch.randint(-1, 2, (n,), dtype=torch.int32) for _ in range(3)],
                                lambda a, b, c: torch.clamp(a + b, -1, 1) * c),
}


def time_ms(f, args, reps):
    for _ in range(3):
        f(*args)
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        f(*args)
        e.record()
        e.synchronize()
        times.append(s.elapsed_time(e))
    times.sort()
    return times[len(times) // 2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True, help="JSON output path (written atomically)")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--no-compile", action="store_true", help="skip torch.compile (eager only)")
    args = p.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("torch-reference.py: no CUDA device visible to PyTorch")
    results = []
    for pid, (full, quick, build, fn) in PATTERNS.items():
        compiled = None if args.no_compile else torch.compile(fn)
        for size in (quick if args.quick else full):
            ins = [t.cuda() for t in build(*size)]
            row = {"id": pid, "size": list(size), "eagerMs": time_ms(fn, ins, args.reps)}
            if compiled is not None:
                try:
                    t0 = time.time()
                    compiled(*ins)
                    row["compileSeconds"] = time.time() - t0
                    row["compiledMs"] = time_ms(compiled, ins, args.reps)
                except Exception as e:  # report, never hide
                    row["compileError"] = str(e).split("\n")[0]
            results.append(row)
            print(json.dumps(row), flush=True)
    doc = {
        "schema": "fusebench/torch-reference@1",
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": "python3 bench/torch-reference.py " + " ".join(f for f in os.sys.argv[1:]),
        "machine": {"hostname": platform.node(), "gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "cuda": torch.version.cuda},
        "dtype": "float32", "tf32": False, "timing": f"CUDA events, median of {args.reps}",
        "results": results,
    }
    d = os.path.dirname(os.path.abspath(args.out))
    fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f, indent=2)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
