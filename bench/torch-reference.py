"""PyTorch reference for fusebench's patterns at fusebench's own sizes: eager (unfused: one torch op per tfjs op of the
suite's unfused sequence) and torch.compile of that same function (fused by Inductor). fp32, TF32 off, CUDA-event
timing: median of --reps single calls after a time-based warm-up. Writes JSON atomically to --out.

usage:
  npx tsx bench/export-sizes.ts --out sizes.json
  python3 bench/torch-reference.py --sizes sizes.json --out torch-reference.json [--quick] [--reps 20] [--only Linear_Bias_ReLU,...]

Patterns it cannot express are listed under "skipped" with the reason; nothing is silently left out."""
import argparse, json, os, platform, sys, time

sys.dont_write_bytecode = True  # no bench/__pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_patterns import build_patterns, fail, fresh_compile, load_sizes, write_atomic  # noqa: E402  (the shared pattern table)

DEF_WARMUP_S = 0.2


# ---- timing ---------------------------------------------------------------------------------------------------------

def time_ms(torch, f, args, reps, warmup_s):
    f(*args)
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < warmup_s:
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
    p.add_argument("--sizes", required=True, help="JSON from bench/export-sizes.ts")
    p.add_argument("--out", required=True, help="JSON output path (written atomically)")
    p.add_argument("--quick", action="store_true", help="the suites' quick sizes instead of the full ones")
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--warmup", type=float, default=DEF_WARMUP_S, help="seconds of warm-up calls per variant")
    p.add_argument("--only", default="", help="comma-separated pattern ids")
    p.add_argument("--no-compile", action="store_true", help="skip torch.compile (eager only)")
    args = p.parse_args()
    sizes = load_sizes(args.sizes, "torch-reference.py")
    import torch
    if not torch.cuda.is_available():
        raise SystemExit("torch-reference.py: no CUDA device visible to PyTorch")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    patterns = build_patterns(torch)
    only = set(filter(None, args.only.split(",")))
    unknown = only - set(sizes)
    if unknown:
        fail("torch-reference.py", f"--only names unknown pattern(s): {', '.join(sorted(unknown))}")
    results, skipped = [], {}
    for pid, spec in sizes.items():
        if only and pid not in only:
            continue
        if pid not in patterns:
            skipped[pid] = "no PyTorch formulation in bench/torch_patterns.py"
            continue
        build, fn = patterns[pid].inputs, patterns[pid].eager
        compiled = None if args.no_compile else fresh_compile(torch, fn)
        for size in spec["quick" if args.quick else "full"]:
            row = {"id": pid, "label": size["label"], "params": size["params"]}
            try:
                ins = [t.cuda() for t in build(size["params"], torch)]
                row["eagerMs"] = time_ms(torch, fn, ins, args.reps, args.warmup)
                if compiled is not None:
                    try:
                        t0 = time.time()
                        compiled(*ins)
                        torch.cuda.synchronize()
                        row["compileSeconds"] = time.time() - t0
                        row["compiledMs"] = time_ms(torch, compiled, ins, args.reps, args.warmup)
                    except Exception as e:  # reported, never hidden
                        row["compileError"] = str(e).split("\n")[0]
            except Exception as e:
                row["error"] = str(e).split("\n")[0]
            results.append(row)
            print(json.dumps(row), flush=True)
    doc = {
        "schema": "fusebench/torch-reference@2",
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": "python3 bench/torch-reference.py " + " ".join(sys.argv[1:]),
        "machine": {"hostname": platform.node(), "gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "cuda": torch.version.cuda},
        "dtype": "float32", "tf32": False, "quick": args.quick,
        "timing": f"CUDA events around one call, median of {args.reps} after {args.warmup} s of warm-up",
        "eager": "one torch op per tfjs op of the suite's unfused sequence",
        "compiled": "torch.compile(dynamic=False) of the same function",
        "results": results,
        "skipped": skipped,
    }
    write_atomic(args.out, doc)


if __name__ == "__main__":
    main()
