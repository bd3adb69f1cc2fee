"""The one table of fusebench's patterns in PyTorch, shared by bench/torch-reference.py (GPU) and
bench/torch-cpu-reference.py (CPU): per pattern id, how to build its inputs from a size's params, the suite's
unfused sequence in eager PyTorch (one torch op per tfjs op), and PyTorch's own fused form where one exists.
Also the two file helpers both scripts need (reading bench/export-sizes.ts's JSON, writing JSON atomically)."""
import json, math, os, sys, tempfile
from typing import Callable, NamedTuple, Optional

BN_EPS = 1e-5
LN_EPS = 1e-5


class Fused(NamedTuple):
    """PyTorch's fused form of a pattern: `setup(inputs)` runs once, outside timing (BN folding happens there, as
    the suites fold in `prepare`), and returns (function, args) to time."""
    form: str
    setup: Callable


class Pattern(NamedTuple):
    inputs: Callable  # (params, torch) -> list of tensors
    eager: Callable  # the suite's unfused sequence
    fused: Optional[Fused] = None
    no_fused_reason: str = ""  # why `fused` is None


# ---- inputs, mirroring suites/<family>/shapes.ts ------------------------------------------------------------------

def linear_inputs(p, torch):
    return [torch.rand(p["m"], p["k"]) * 2 - 1, (torch.rand(p["k"], p["n"]) * 2 - 1) / math.sqrt(p["k"]), torch.rand(p["n"]) * 2 - 1]


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


# ---- the table ------------------------------------------------------------------------------------------------------

def build_patterns(torch):
    F = torch.nn.functional

    def gelu(h):  # the suite's unfused GELU: 0.5·h·(1 + erf(h/√2)) as separate ops
        return 0.5 * h * (1 + torch.erf(h * (1 / math.sqrt(2))))

    def gelu_tanh(h):  # suites/linear/shapes.ts tfGeluTanh, op for op
        return h * (1 + torch.tanh((h + h * h * h * 0.044715) * math.sqrt(2 / math.pi))) * 0.5

    def linear(act):
        return lambda x, w, b: act(torch.add(torch.matmul(x, w), b))

    def addmm_then(act, what):
        return Fused(f"torch.addmm (bias in the GEMM){what}", lambda ins: (lambda x, w, b: act(torch.addmm(b, x, w)), ins))

    def bn(y, mean, var, beta, gamma):
        return F.batch_norm(y, mean, var, gamma, beta, training=False, eps=BN_EPS)

    def folded(groups, relu):
        """BN folded into the filter and a bias (suites/conv/shapes.ts foldBatchNorm), then one F.conv2d."""
        def setup(ins):
            x, w, mean, var, beta, gamma = ins
            s = gamma / torch.sqrt(var + BN_EPS)
            wf = (w * s.view(-1, 1, 1, 1)).contiguous(memory_format=torch.channels_last)
            bf = beta - mean * s
            g = x.shape[1] if groups else 1
            conv = (lambda x, wf, bf: torch.relu(F.conv2d(x, wf, bf, padding=1, groups=g))) if relu else (lambda x, wf, bf: F.conv2d(x, wf, bf, padding=1, groups=g))
            return conv, [x, wf, bf]
        return Fused(f"F.conv2d with BN folded into the filter and bias (outside timing){' + relu' if relu else ''}", setup)

    def attn_inputs(n):
        return lambda p, torch: [torch.rand(p["h"], p["s"], p["d"]) * 2 - 1 for _ in range(n)]

    def scale(q):
        return 1 / math.sqrt(q.shape[-1])

    def qkt_softmax_fused(ins):
        q, k = ins
        zero = torch.zeros(1, 1, 1)
        return (lambda q, k: torch.softmax(torch.baddbmm(zero, q, k.transpose(1, 2), beta=0, alpha=scale(q)), -1)), [q, k]

    def ternary(op):
        return {"tadd": lambda a, b: torch.clamp(a + b, -1, 1), "tmul": lambda a, b: a * b,
                "tmin": torch.minimum, "tmax": torch.maximum}[op]

    def trits(k):
        return lambda p, torch: [torch.randint(-1, 2, (p["n"],), dtype=torch.int32) for _ in range(k)]

    elementwise = "no fused eager op for this elementwise chain in PyTorch; torch.compile is its fusion"
    pats = {
        "Linear_Bias": Pattern(linear_inputs, linear(lambda h: h), addmm_then(lambda h: h, "")),
        "Linear_Bias_ReLU": Pattern(linear_inputs, linear(torch.relu), addmm_then(torch.relu, " + torch.relu")),
        "Linear_Bias_GELU": Pattern(linear_inputs, linear(gelu), addmm_then(F.gelu, " + F.gelu")),
        "Linear_Bias_GELU_Tanh": Pattern(linear_inputs, linear(gelu_tanh), addmm_then(lambda h: F.gelu(h, approximate="tanh"), " + F.gelu(approximate='tanh')")),
        "Linear_Bias_SiLU": Pattern(linear_inputs, linear(lambda h: h * torch.sigmoid(h)), addmm_then(F.silu, " + F.silu")),
        "MLP_2Layer": Pattern(mlp_inputs, lambda x, w1, b1, w2, b2: torch.add(torch.matmul(torch.relu(torch.add(torch.matmul(x, w1), b1)), w2), b2),
                              Fused("torch.addmm, relu, torch.addmm", lambda ins: (lambda x, w1, b1, w2, b2: torch.addmm(b2, torch.relu(torch.addmm(b1, x, w1)), w2), ins))),
        "Conv2d_ReLU": Pattern(lambda p, torch: conv_inputs(p, torch, False),
                               lambda x, w, b: torch.relu(torch.add(F.conv2d(x, w, padding=1), b.view(1, -1, 1, 1))),
                               Fused("F.conv2d with its bias + relu", lambda ins: (lambda x, w, b: torch.relu(F.conv2d(x, w, b, padding=1)), ins))),
        "Conv2d_BN": Pattern(lambda p, torch: conv_inputs(p, torch, True),
                             lambda x, w, mean, var, beta, gamma: bn(F.conv2d(x, w, padding=1), mean, var, beta, gamma), folded(False, False)),
        "Conv2d_BN_ReLU": Pattern(lambda p, torch: conv_inputs(p, torch, True),
                                  lambda x, w, mean, var, beta, gamma: torch.relu(bn(F.conv2d(x, w, padding=1), mean, var, beta, gamma)), folded(False, True)),
        "DepthwiseConv2d_BN_ReLU": Pattern(depthwise_inputs,
                                           lambda x, w, mean, var, beta, gamma: torch.relu(bn(F.conv2d(x, w, padding=1, groups=x.shape[1]), mean, var, beta, gamma)),
                                           folded(True, True)),
        "QKT": Pattern(attn_inputs(2), lambda q, k: torch.matmul(q, k.transpose(1, 2).contiguous()),
                       Fused("torch.matmul reading kᵀ as a view (no transpose copy)", lambda ins: (lambda q, k: torch.matmul(q, k.transpose(1, 2)), ins))),
        "QKT_Softmax": Pattern(attn_inputs(2), lambda q, k: torch.softmax(torch.mul(torch.matmul(q, k.transpose(1, 2).contiguous()), scale(q)), -1),
                               Fused("torch.baddbmm(alpha=scale, kᵀ as a view) + torch.softmax", qkt_softmax_fused)),
        "Attention_SDPA": Pattern(attn_inputs(3), lambda q, k, v: torch.matmul(torch.softmax(torch.mul(torch.matmul(q, k.transpose(1, 2)), scale(q)), -1), v),
                                  Fused("F.scaled_dot_product_attention on [1, h, s, d] views (3-D input takes its slower math path on the CPU)",
                                        lambda ins: ((lambda q, k, v: F.scaled_dot_product_attention(q, k, v)[0]), [t.unsqueeze(0) for t in ins]))),
        "LayerNorm": Pattern(lambda p, torch: [torch.rand(p["t"], p["d"]) * 3 - 1, torch.rand(p["d"]) + 0.5, torch.rand(p["d"]) - 0.5],
                             lambda x, g, b: torch.add(torch.mul(torch.div(torch.sub(x, x.mean(-1, keepdim=True)),
                                                                           torch.sqrt(torch.add(((x - x.mean(-1, keepdim=True)) ** 2).mean(-1, keepdim=True), LN_EPS))), g), b),
                             Fused("F.layer_norm", lambda ins: ((lambda x, g, b: F.layer_norm(x, (x.shape[-1],), g, b, LN_EPS)), ins))),
        "Add_ReLU": Pattern(lambda p, torch: [torch.rand(1, p["h"], p["w"], p["c"]) * 2 - 1 for _ in range(2)], lambda a, b: torch.relu(torch.add(a, b)),
                            no_fused_reason=elementwise),
        "Ternary_tadd_tnot": Pattern(trits(2), lambda a, b: torch.neg(torch.clamp(a + b, -1, 1)), no_fused_reason=elementwise),
    }
    for inner in ("tadd", "tmul", "tmin", "tmax"):
        for outer in ("tadd", "tmul", "tmin", "tmax"):
            fi, fo = ternary(inner), ternary(outer)
            pats[f"Ternary_{inner}_{outer}"] = Pattern(trits(3), (lambda fi, fo: lambda a, b, c: fo(fi(a, b), c))(fi, fo), no_fused_reason=elementwise)
    return pats


# ---- files ----------------------------------------------------------------------------------------------------------

def write_atomic(path, doc):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; the result is an ordinary file
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def fail(script, message):
    """Bad input: the message names the flag or file, and the exit code is 2."""
    print(f"{script}: {message}", file=sys.stderr)
    raise SystemExit(2)


def load_sizes(path, script):
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail(script, f"--sizes {path}: {e}")
    if doc.get("schema") != "fusebench/sizes@1" or not isinstance(doc.get("patterns"), dict):
        fail(script, f"--sizes {path}: not a fusebench/sizes@1 file (write one with: npx tsx bench/export-sizes.ts --out {path})")
    return doc["patterns"]


def fresh_compile(torch, fn):
    """torch.compile(fn) with Dynamo's caches cleared first. The 16 Ternary_* functions share one code object
    (one closure factory), and Dynamo keys its cache on code objects: without the reset their sizes would pile up
    past the recompile limit, past which Dynamo silently runs eager code under the compiled name. That limit is
    made an error here, so a "compiled" time is always compiled code."""
    torch._dynamo.reset()
    torch._dynamo.config.fail_on_recompile_limit_hit = True
    return torch.compile(fn, dynamic=False)
