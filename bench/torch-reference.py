"""PyTorch reference for fusebench's patterns at fusebench's own sizes, timed like fusebench times itself: eager
(unfused: one torch op per tfjs op of the suite's unfused sequence), torch.compile of that same function (fused by
Inductor) and, where PyTorch has one, its own fused op (addmm, F.layer_norm, F.scaled_dot_product_attention, …).
fp32, TF32 off. Each is timed two ways:
  throughputMs  CUDA events around --calls back-to-back calls, ÷ calls; median of --reps (what fusebench's
                throughputMs is: the pipelined per-call time, host dispatch included);
  graphMs       the same calls captured once into a CUDA graph and replayed between events, ÷ calls; median of
                --reps (device time without launch overhead, as Triton's do_bench_cudagraph measures it).
Writes JSON atomically to --out.

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

def warm(torch, f, args, warmup_s):
    f(*args)
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < warmup_s:
        f(*args)
    torch.cuda.synchronize()


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def throughput_ms(torch, f, args, calls, reps):
    """CUDA events around `calls` back-to-back calls (outputs dropped as they come), ÷ calls; median of reps."""
    times = []
    for _ in range(reps):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        for _ in range(calls):
            f(*args)
        e.record()
        e.synchronize()
        times.append(s.elapsed_time(e) / calls)
    return median(times)


def graph_ms(torch, f, args, calls, reps):
    """`calls` calls captured into one CUDA graph, replayed between events, ÷ calls; median of reps."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            f(*args)
    torch.cuda.current_stream().wait_stream(side)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        for _ in range(calls):
            f(*args)
    g.replay()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        g.replay()
        e.record()
        e.synchronize()
        times.append(s.elapsed_time(e) / calls)
    del g
    return median(times)


def measure(torch, f, args, opts):
    """Both figures of one callable; a failure of either is recorded, never hidden."""
    out = {}
    warm(torch, f, args, opts.warmup)
    out["throughputMs"] = throughput_ms(torch, f, args, opts.calls, opts.reps)
    try:
        out["graphMs"] = graph_ms(torch, f, args, opts.calls, opts.reps)
    except Exception as e:  # some ops cannot be captured; say why
        out["graphError"] = str(e).split("\n")[0][:300]
        torch.cuda.synchronize()
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", required=True, help="JSON from bench/export-sizes.ts")
    p.add_argument("--out", required=True, help="JSON output path (written atomically)")
    p.add_argument("--quick", action="store_true", help="the suites' quick sizes instead of the full ones")
    p.add_argument("--reps", type=int, default=10, help="timed repetitions per figure (the median is kept)")
    p.add_argument("--calls", type=int, default=100, help="back-to-back calls per repetition (and per captured graph)")
    p.add_argument("--warmup", type=float, default=DEF_WARMUP_S, help="seconds of warm-up calls per variant")
    p.add_argument("--only", default="", help="comma-separated pattern ids")
    p.add_argument("--no-compile", action="store_true", help="skip torch.compile (eager only)")
    p.add_argument("--budget-s", type=float, default=0.0,
                   help="stop starting new patterns after this many seconds; the rest are listed under skipped (0: no limit)")
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
    started = time.time()
    for pid, spec in sizes.items():
        if only and pid not in only:
            continue
        if args.budget_s > 0 and time.time() - started > args.budget_s:
            skipped[pid] = f"not measured: the run's time budget (--budget-s {args.budget_s:g}) was spent before this pattern"
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
                row["eager"] = measure(torch, fn, ins, args)
                if compiled is not None:
                    try:
                        t0 = time.time()
                        compiled(*ins)
                        torch.cuda.synchronize()
                        row["compileSeconds"] = time.time() - t0
                        row["compiled"] = measure(torch, compiled, ins, args)
                    except Exception as e:  # reported, never hidden
                        row["compileError"] = str(e).split("\n")[0][:300]
                fused = patterns[pid].fused
                if fused is not None:
                    try:
                        f_fn, f_args = fused.setup(ins)  # folding and views happen here, outside timing
                        row["fusedOp"] = {"name": fused.form, **measure(torch, f_fn, f_args, args)}
                    except Exception as e:
                        row["fusedOp"] = {"name": fused.form, "error": str(e).split("\n")[0][:300]}
            except Exception as e:
                row["error"] = str(e).split("\n")[0][:300]
            results.append(row)
            print(json.dumps(row), flush=True)
    doc = {
        "schema": "fusebench/torch-reference@3",
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": "python3 bench/torch-reference.py " + " ".join(sys.argv[1:]),
        "machine": {"hostname": platform.node(), "gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "cuda": torch.version.cuda},
        "dtype": "float32", "tf32": False, "quick": args.quick,
        "timing": (f"throughputMs: CUDA events around {args.calls} back-to-back calls ÷ {args.calls}; graphMs: those {args.calls} calls "
                   f"captured into one CUDA graph and replayed between events ÷ {args.calls}; each the median of {args.reps}, after {args.warmup} s of warm-up"),
        "eager": "one torch op per tfjs op of the suite's unfused sequence",
        "compiled": "torch.compile(dynamic=False) of the same function",
        "fusedOp": "PyTorch's own fused op for the pattern, where it has one",
        "results": results,
        "skipped": skipped,
    }
    write_atomic(args.out, doc)


if __name__ == "__main__":
    main()
