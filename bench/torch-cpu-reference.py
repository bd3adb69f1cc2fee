"""PyTorch on the CPU at fusebench's own sizes, the yardstick for the cpu, wasm and tensorflow backends (issue 21).

Per pattern, size and thread count (1, and all of torch.get_num_threads()), three variants from the shared table in
bench/torch_patterns.py:
  eager     the suite's unfused sequence, one torch op per tfjs op;
  fused     PyTorch's own fused form where one exists (addmm, folded conv, F.layer_norm,
            F.scaled_dot_product_attention, ...); its set-up (BN folding) runs outside timing;
  compiled  torch.compile (Inductor, C++ codegen through g++) of the eager function, compiled under the thread count
            it is timed with (Inductor bakes the thread count into its C++).
fp32. Timing: torch.utils.benchmark.Timer(..., num_threads).blocked_autorange(min_run_time), its median per call, in
--rounds rounds that interleave the variants; the figure is the lowest round median (all are kept). Every fused and compiled result is checked against eager before it is timed; a mismatch is not timed.
Whatever is not measured is listed under "skipped" with the reason. The load average before and after is recorded:
on a shared machine, read the figures with it. JSON written atomically to --out.

usage:
  npx tsx bench/export-sizes.ts --out sizes.json
  python3 bench/torch-cpu-reference.py --sizes sizes.json --out torch-cpu-reference.json [--quick] [--only A,B]
      [--threads 1,2] [--min-run-time 0.2] [--rounds 3] [--no-compile]"""
import argparse, os, platform, subprocess, sys, time

sys.dont_write_bytecode = True  # no bench/__pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_patterns import build_patterns, fail, fresh_compile, load_sizes, write_atomic  # noqa: E402  (the shared pattern table)

SCRIPT = "torch-cpu-reference.py"
SCHEMA = "fusebench/torch-cpu-reference@1"
# Same computation in float32, different rounding order (folded BN, Inductor's reductions): well inside these.
RTOL, ATOL = 1e-3, 1e-4


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return [float(x) for x in f.read().split()[:3]]
    except OSError:
        return None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def compiler_version():
    try:
        return subprocess.run(["g++", "--version"], capture_output=True, text=True, timeout=10).stdout.split("\n")[0]
    except (OSError, subprocess.SubprocessError):
        return None


def first_line(e):
    text = str(e).strip() or type(e).__name__
    return f"{type(e).__name__}: {text.splitlines()[0]}"[:300]


def measure(fn, args, threads, min_run_time):
    """Median ms per call of one blocked_autorange."""
    from torch.utils.benchmark import Timer
    m = Timer("fn(*args)", globals={"fn": fn, "args": args}, num_threads=threads).blocked_autorange(min_run_time=min_run_time)
    return float(f"{m.median * 1e3:.4g}")


def mismatch(torch, got, want):
    """None when `got` matches eager's `want`, else what differs (first line of assert_close's message)."""
    try:
        torch.testing.assert_close(got, want, rtol=RTOL, atol=ATOL)
        return None
    except AssertionError as e:
        lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
        return "result differs from eager: " + "; ".join(lines[:3])


def parse_threads(text, all_threads):
    try:
        counts = sorted({int(t) for t in text.split(",") if t.strip()})
    except ValueError:
        fail(SCRIPT, f"--threads {text!r}: expected comma-separated positive integers, e.g. 1,{all_threads}")
    if not counts or counts[0] < 1:
        fail(SCRIPT, f"--threads {text!r}: expected comma-separated positive integers, e.g. 1,{all_threads}")
    return counts


def run_size(torch, pid, pat, compiled, size, threads, args, skipped):
    """One row: each variant checked against eager, then all of them timed in --rounds interleaved rounds."""
    row = {"id": pid, "label": size["label"], "params": size["params"], "threads": threads}
    where = f"{pid} {size['label']} {threads}t"
    torch.manual_seed(0)
    try:
        ins = pat.inputs(size["params"], torch)
        want = pat.eager(*ins)
    except Exception as e:  # reported, never hidden
        skipped[f"{where} eager"] = first_line(e)
        return row
    timed = [("eager", pat.eager, ins)]
    if pat.fused is not None:
        try:
            fn, fargs = pat.fused.setup(ins)
            bad = mismatch(torch, fn(*fargs), want)
            if bad:
                skipped[f"{where} fused"] = bad
            else:
                timed.append(("fused", fn, fargs))
        except Exception as e:
            skipped[f"{where} fused"] = first_line(e)
    if compiled is not None:
        try:
            t0 = time.perf_counter()
            got = compiled(*ins)
            row["compileSeconds"] = round(time.perf_counter() - t0, 3)
            bad = mismatch(torch, got, want)
            if bad:
                skipped[f"{where} compiled"] = bad
            else:
                timed.append(("compiled", compiled, ins))
        except Exception as e:
            skipped[f"{where} compiled"] = "torch.compile failed: " + first_line(e)
    rounds = {name: [] for name, _, _ in timed}
    for _ in range(args.rounds):
        for name, fn, fargs in list(timed):
            if name not in rounds:
                continue
            try:
                rounds[name].append(measure(fn, fargs, threads, args.min_run_time))
            except Exception as e:
                skipped[f"{where} {name}"] = first_line(e)
                del rounds[name]
    for name, meds in rounds.items():
        row[f"{name}Ms"] = min(meds)
        if len(meds) > 1:
            row[f"{name}RoundsMs"] = meds
    return row


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", required=True, help="JSON from bench/export-sizes.ts")
    p.add_argument("--out", required=True, help="JSON output path (written atomically)")
    p.add_argument("--quick", action="store_true", help="the suites' quick sizes instead of the full ones")
    p.add_argument("--only", default="", help="comma-separated pattern ids")
    p.add_argument("--threads", default="", help="comma-separated thread counts (default: 1 and torch.get_num_threads())")
    p.add_argument("--min-run-time", type=float, default=0.2, help="seconds per blocked_autorange (default 0.2)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds per size; the figure is the lowest round median (default 3)")
    p.add_argument("--no-compile", action="store_true", help="skip torch.compile")
    args = p.parse_args()
    if not args.min_run_time > 0:
        fail(SCRIPT, f"--min-run-time {args.min_run_time}: must be > 0")
    if args.rounds < 1:
        fail(SCRIPT, f"--rounds {args.rounds}: must be ≥ 1")
    sizes = load_sizes(args.sizes, SCRIPT)
    only = [x for x in args.only.split(",") if x]
    unknown = sorted(set(only) - set(sizes))
    if unknown:
        fail(SCRIPT, f"--only names unknown pattern(s): {', '.join(unknown)}")
    load_before = load_average()
    started = time.time()
    import torch
    all_threads = torch.get_num_threads()
    thread_counts = parse_threads(args.threads, all_threads) if args.threads else sorted({1, all_threads})
    patterns = build_patterns(torch)

    results, skipped = [], {}
    if args.no_compile:
        skipped["compiled"] = "--no-compile given"
    chosen = [(pid, spec) for pid, spec in sizes.items() if not only or pid in only]
    for pid, _ in chosen:
        if pid not in patterns:
            skipped[pid] = "no PyTorch formulation in bench/torch_patterns.py"
        elif patterns[pid].fused is None:
            skipped[f"{pid} fused"] = patterns[pid].no_fused_reason
    for threads in thread_counts:
        torch.set_num_threads(threads)
        for pid, spec in chosen:
            pat = patterns.get(pid)
            if pat is None:
                continue
            compiled = None if args.no_compile else fresh_compile(torch, pat.eager)
            for size in spec["quick" if args.quick else "full"]:
                row = run_size(torch, pid, pat, compiled, size, threads, args, skipped)
                results.append(row)
                print(f"{pid} {row['label']} {threads}t: " + ", ".join(f"{k} {row[k]:.4g}" for k in ("eagerMs", "fusedMs", "compiledMs") if k in row), flush=True)
    torch.set_num_threads(all_threads)

    doc = {
        "schema": SCHEMA,
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "command": "python3 bench/torch-cpu-reference.py " + " ".join(sys.argv[1:]),
        "machine": {"hostname": platform.node(), "cpu": cpu_model(), "logicalCpus": os.cpu_count(), "torchThreads": all_threads,
                    "torch": torch.__version__, "python": platform.python_version(), "cxx": compiler_version()},
        "load": {"before": load_before, "after": load_average(), "seconds": round(time.time() - started)},
        "dtype": "float32", "quick": args.quick, "threads": thread_counts,
        "timing": (f"torch.utils.benchmark Timer(num_threads).blocked_autorange(min_run_time={args.min_run_time}): its median ms per call, "
                   f"in {args.rounds} rounds interleaving the variants; <variant>Ms is the lowest round median (the least disturbed on a shared machine), "
                   "<variant>RoundsMs all of them"),
        "variants": {
            "eager": "the suite's unfused sequence, one torch op per tfjs op",
            "fused": "PyTorch's own fused form (fusedForms); set-up such as BN folding outside timing",
            "compiled": "torch.compile(dynamic=False) of the eager function (Inductor C++), compiled under the thread count it is timed with",
        },
        "check": f"fused and compiled results match eager (torch.testing.assert_close rtol={RTOL}, atol={ATOL}) before they are timed",
        "fusedForms": {pid: patterns[pid].fused.form for pid, _ in chosen if pid in patterns and patterns[pid].fused is not None},
        "results": results,
        "skipped": skipped,
    }
    write_atomic(args.out, doc)
    print(f"{SCRIPT}: {len(results)} rows, {len(skipped)} skipped → {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
