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
import argparse, json, math, os, platform, sys, tempfile, time

DEF_WARMUP_S = 0.2


# ---- the patterns: (inputs from params, eager function), mirroring suites/<family>/*.bench.ts unfused sides -------------

def linear_inputs(p, torch):
    return [torch.rand(p["m"], p["k"]) * 2 - 1, (torch.rand(p["k"], p["n"]) * 2 - 1) / math.sqrt(p["k"]), torch.rand(p["n"]) * 2 - 1]


def linear_fn(act, torch):
    def gelu(h):  # the suite's unfused GELU: 0.5·h·(1 + erf(h/√2)) as separate ops
        return 0.5 * h * (1 + torch.erf(h * (1 / math.sqrt(2))))
    acts = {"linear": lambda h: h, "relu": torch.relu, "gelu": gelu, "silu": lambda h: h * torch.sigmoid(h)}
    f = acts[act]
    return lambda x, w, b: f(torch.add(torch.matmul(x, w), b))


def mlp_inputs(p, torch):
    d, h = p["d"], p["h"]
    return [torch.rand(p["m"], d) * 2 - 1, (torch.rand(d, h) * 2 - 1) / math.sqrt(d), torch.rand(h) * 2 - 1,
            (torch.rand(h, d) * 2 - 1) / math.sqrt(h), torch.rand(d) * 2 - 1]


def conv_inputs(p, torch, bn):
    # NHWC as channels_last NCHW tensors (the same bytes in memory as fusebench's NHWC), weights KRSC.
    x = (torch.rand(1, p["cin"], p["h"], p["w"]) * 2 - 1).to(memory_format=torch.channels_last)
    w = ((torch.rand(p["cout"], p["cin"], 3, 3) * 2 - 1) / math.sqrt(9 * p["cin"])).to(memory_format=torch.channels_last)
    c = p["cout"]
    if not bn:
        return [x, w, torch.rand(c) * 2 - 1]
    return [x, w, torch.rand(c) * 0.2 - 0.1, torch.rand(c) + 0.5, torch.rand(c) * 0.2 - 0.1, torch.rand(c) * 0.5 + 0.75]


def depthwise_inputs(p, torch):
    c = p["c"]
    x = (torch.rand(1, c, p["h"], p["w"]) * 2 - 1).to(memory_format=torch.channels_last)
    w = ((torch.rand(c, 1, 3, 3) * 2 - 1) / 3).to(memory_format=torch.channels_last)
    return [x, w, torch.rand(c) * 0.2 - 0.1, torch.rand(c) + 0.5, torch.rand(c) * 0.2 - 0.1, torch.rand(c) * 0.5 + 0.75]


BN_EPS = 1e-5
LN_EPS = 1e-5


def build_patterns(torch):
    F = torch.nn.functional

    def bn(y, mean, var, beta, gamma):
        return F.batch_norm(y, mean, var, gamma, beta, training=False, eps=BN_EPS)

    def attn_inputs(n):
        return lambda p, torch: [torch.rand(p["h"], p["s"], p["d"]) * 2 - 1 for _ in range(n)]

    def scale(q):
        return 1 / math.sqrt(q.shape[-1])

    def ternary(op):
        return {"tadd": lambda a, b: torch.clamp(a + b, -1, 1), "tmul": lambda a, b: a * b,
                "tmin": torch.minimum, "tmax": torch.maximum}[op]

    def trits(k):
        return lambda p, torch: [torch.randint(-1, 2, (p["n"],), dtype=torch.int32) for _ in range(k)]

    pats = {
        "Linear_Bias": (linear_inputs, linear_fn("linear", torch)),
        "Linear_Bias_ReLU": (linear_inputs, linear_fn("relu", torch)),
        "Linear_Bias_GELU": (linear_inputs, linear_fn("gelu", torch)),
        "Linear_Bias_SiLU": (linear_inputs, linear_fn("silu", torch)),
        "MLP_2Layer": (mlp_inputs, lambda x, w1, b1, w2, b2: torch.add(torch.matmul(torch.relu(torch.add(torch.matmul(x, w1), b1)), w2), b2)),
        "Conv2d_ReLU": (lambda p, torch: conv_inputs(p, torch, False),
                        lambda x, w, b: torch.relu(torch.add(F.conv2d(x, w, padding=1), b.view(1, -1, 1, 1)))),
        "Conv2d_BN": (lambda p, torch: conv_inputs(p, torch, True),
                      lambda x, w, mean, var, beta, gamma: bn(F.conv2d(x, w, padding=1), mean, var, beta, gamma)),
        "Conv2d_BN_ReLU": (lambda p, torch: conv_inputs(p, torch, True),
                           lambda x, w, mean, var, beta, gamma: torch.relu(bn(F.conv2d(x, w, padding=1), mean, var, beta, gamma))),
        "DepthwiseConv2d_BN_ReLU": (depthwise_inputs,
                                    lambda x, w, mean, var, beta, gamma: torch.relu(bn(F.conv2d(x, w, padding=1, groups=x.shape[1]), mean, var, beta, gamma))),
        "QKT": (attn_inputs(2), lambda q, k: torch.matmul(q, k.transpose(1, 2).contiguous())),
        "QKT_Softmax": (attn_inputs(2), lambda q, k: torch.softmax(torch.mul(torch.matmul(q, k.transpose(1, 2).contiguous()), scale(q)), -1)),
        "Attention_SDPA": (attn_inputs(3), lambda q, k, v: torch.matmul(torch.softmax(torch.mul(torch.matmul(q, k.transpose(1, 2)), scale(q)), -1), v)),
        "LayerNorm": (lambda p, torch: [torch.rand(p["t"], p["d"]) * 3 - 1, torch.rand(p["d"]) + 0.5, torch.rand(p["d"]) - 0.5],
                      lambda x, g, b: torch.add(torch.mul(torch.div(torch.sub(x, x.mean(-1, keepdim=True)),
                                                                    torch.sqrt(torch.add(((x - x.mean(-1, keepdim=True)) ** 2).mean(-1, keepdim=True), LN_EPS))), g), b)),
        "Add_ReLU": (lambda p, torch: [torch.rand(1, p["h"], p["w"], p["c"]) * 2 - 1 for _ in range(2)], lambda a, b: torch.relu(torch.add(a, b))),
        "Ternary_tadd_tnot": (trits(2), lambda a, b: torch.neg(torch.clamp(a + b, -1, 1))),
    }
    for inner in ("tadd", "tmul", "tmin", "tmax"):
        for outer in ("tadd", "tmul", "tmin", "tmax"):
            fi, fo = ternary(inner), ternary(outer)
            pats[f"Ternary_{inner}_{outer}"] = (trits(3), (lambda fi, fo: lambda a, b, c: fo(fi(a, b), c))(fi, fo))
    return pats


def build_fused_ops(torch):
    """PyTorch's own fused form of a pattern, where it has one: (name, fn over the same inputs)."""
    F = torch.nn.functional

    def folded_conv(relu):
        # BatchNorm folded into the conv weights and bias, as the suite's fused variant does at build time; the
        # folding itself is outside the timed calls (done on first use per weight tensor).
        cache = {}

        def fn(x, w, mean, var, beta, gamma):
            key = (w.data_ptr(), mean.data_ptr())
            if key not in cache:
                s = gamma / torch.sqrt(var + BN_EPS)
                cache[key] = ((w * s.view(-1, 1, 1, 1)).contiguous(memory_format=torch.channels_last), beta - mean * s)
            wf, bf = cache[key]
            y = F.conv2d(x, wf, bf, padding=1)
            return torch.relu(y) if relu else y
        return fn

    return {
        "Linear_Bias": ("torch.addmm", lambda x, w, b: torch.addmm(b, x, w)),
        "Linear_Bias_ReLU": ("torch._addmm_activation", lambda x, w, b: torch._addmm_activation(b, x, w)),
        "LayerNorm": ("F.layer_norm", lambda x, g, b: F.layer_norm(x, (x.shape[-1],), g, b, LN_EPS)),
        "Attention_SDPA": ("F.scaled_dot_product_attention", lambda q, k, v: F.scaled_dot_product_attention(q, k, v)),
        "Conv2d_BN": ("conv2d with BN folded", folded_conv(False)),
        "Conv2d_BN_ReLU": ("conv2d with BN folded + relu", folded_conv(True)),
    }


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


def write_atomic(path, doc):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f, indent=2)
    os.replace(tmp, path)


def load_sizes(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit(f"torch-reference.py: --sizes {path}: {e}")
    if doc.get("schema") != "fusebench/sizes@1" or not isinstance(doc.get("patterns"), dict):
        raise SystemExit(f"torch-reference.py: --sizes {path}: not a fusebench/sizes@1 file (write one with: npx tsx bench/export-sizes.ts --out {path})")
    return doc["patterns"]


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
    args = p.parse_args()
    sizes = load_sizes(args.sizes)
    import torch
    if not torch.cuda.is_available():
        raise SystemExit("torch-reference.py: no CUDA device visible to PyTorch")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    patterns = build_patterns(torch)
    fused_ops = build_fused_ops(torch)
    only = set(filter(None, args.only.split(",")))
    unknown = only - set(sizes)
    if unknown:
        raise SystemExit(f"torch-reference.py: --only names unknown pattern(s): {', '.join(sorted(unknown))}")
    results, skipped = [], {}
    for pid, spec in sizes.items():
        if only and pid not in only:
            continue
        if pid not in patterns:
            skipped[pid] = "no PyTorch formulation in bench/torch-reference.py"
            continue
        build, fn = patterns[pid]
        compiled = None if args.no_compile else torch.compile(fn, dynamic=False)
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
                if pid in fused_ops:
                    name, op = fused_ops[pid]
                    try:
                        row["fusedOp"] = {"name": name, **measure(torch, op, ins, args)}
                    except Exception as e:
                        row["fusedOp"] = {"name": name, "error": str(e).split("\n")[0][:300]}
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
