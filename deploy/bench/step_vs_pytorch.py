"""The PyTorch side and the driver of deploy/bench/step-vs-pytorch.

Starts the Java side (org.rdnas.tools.StepBenchmark, the command after "--"), reads what it
exported (sizes, arch pairs, weights, the batch, the held-out images, its results on pair 0 and on
the eval archs), checks that this side computes the same functions (loss values, gradient sum,
accuracies), then times both sides interleaved in one run: each repetition runs one RD-NAS worker
step (or one subnet evaluation) on Java, then the same on PyTorch, alternating which goes first, so
both see the same load. Prints medians and the ratio of medians (ours / PyTorch).

The network is NAS-Bench-201's search supernet as org.rdnas.nn.Nb201Network computes it (cell
convention SEARCH: cell convs with bias, cell BNs without affine parameters; stem, reduction and head
BNs affine; every BN on the batch's statistics), written with torch.nn.functional in eager mode. A
step, as org.rdnas.train.GradientWorker does one: weights in from a flat vector, forward of subnets
a and b on the batch, L = CE(a) + CE(b) + lambda * relu(+-(CE(b) - CE(a).detach()) + m), backward
of n * L, gradient sum out as a flat vector. Evaluation: forward-only (no_grad) top-1 accuracy in
batches of the eval batch size, BN on each batch's statistics.

--same-ops makes this side do what job 2's code does beyond the authors' ops, so that the ratio
measures the frameworks alone: skip ops whose output never reaches their cell's output, compute a
pair's shared stem once, pool avg_pool_3x3 as a depthwise convolution over the in-image cell count.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

OPTION_ORDER = ["none", "avg_pool_3x3", "nor_conv_3x3", "nor_conv_1x1", "skip_connect"]
EPS = 1e-5


def parse_arch(s):
    """Edge ops in the order of org.rdnas.space.Arch: (1<-0), (2<-0), (2<-1), (3<-0), (3<-1), (3<-2)."""
    ops = []
    for node in s.split("+"):
        for tok in node.strip("|").split("|"):
            op, _src = tok.split("~")
            ops.append(op)
    if len(ops) != 6:
        raise ValueError(f"arch {s!r} has {len(ops)} edges, expected 6")
    return ops


class Supernet:
    def __init__(self, cells, same_ops=False):
        self.cells = cells
        self.same_ops = same_ops
        self.pool_constants = {}

    def avg_pool_3x3(self, h):
        if not self.same_ops:
            return F.avg_pool2d(h, 3, 1, 1, count_include_pad=False)
        c, rows, cols = h.shape[1:]
        key = (c, rows, cols, h.dtype)
        if key not in self.pool_constants:
            ones = torch.ones(1, 1, 3, 3, dtype=h.dtype)
            cells = F.conv2d(torch.ones(1, 1, rows, cols, dtype=h.dtype), ones, None, 1, 1)
            self.pool_constants[key] = (ones.expand(c, 1, 3, 3).contiguous(), cells)
        ones, cells = self.pool_constants[key]
        return F.conv2d(h, ones, None, 1, 1, 1, c) / cells

    def conv(self, P, x, name, stride, pad):
        return F.conv2d(x, P[name + ".weight"], P.get(name + ".bias"), stride, pad)

    def bn(self, P, x, name, affine):
        w = P[name + ".weight"] if affine else None
        b = P[name + ".bias"] if affine else None
        return F.batch_norm(x, None, None, w, b, True, 0.0, EPS)

    def cell(self, P, ops, x, prefix):
        nodes = [x]
        e = 0
        # Whether each node reaches the cell's output (edges 2<-1, 3<-1 and 3<-2 are 2, 4 and 5).
        live = {3: True, 2: ops[5] != "none"}
        live[1] = ops[4] != "none" or (ops[2] != "none" and live[2])
        for node in range(1, 4):
            acc = None
            if self.same_ops and not live[node]:
                nodes.append(None)
                e += node
                continue
            for src in range(node):
                op = ops[e]
                h = nodes[src]
                module = f"{prefix}.options.{5 * e + OPTION_ORDER.index(op)}"
                if op == "none":
                    out = None
                elif op == "skip_connect":
                    out = h
                elif op == "avg_pool_3x3":
                    out = self.avg_pool_3x3(h)
                else:
                    k = 3 if op == "nor_conv_3x3" else 1
                    out = self.bn(P, self.conv(P, F.relu(h), module + ".op.1", 1, k // 2),
                                  module + ".op.2", False)
                if out is not None:
                    acc = out if acc is None else acc + out
                e += 1
            nodes.append(acc if acc is not None else torch.zeros_like(x))
        return nodes[3]

    def reduction(self, P, x, p):
        a = self.bn(P, self.conv(P, F.relu(x), p + ".conv_a.op.1", 2, 1), p + ".conv_a.op.2", True)
        a = self.bn(P, self.conv(P, F.relu(a), p + ".conv_b.op.1", 1, 1), p + ".conv_b.op.2", True)
        r = self.conv(P, F.avg_pool2d(x, 2, 2, 0), p + ".residual.1", 1, 0)
        return r + a

    def forward(self, P, ops, x):
        return self.body(P, ops, self.stem(P, x))

    def forward_pair(self, P, a, b, x):
        if not self.same_ops:
            return self.forward(P, a, x), self.forward(P, b, x)
        h = self.stem(P, x)
        return self.body(P, a, h), self.body(P, b, h)

    def stem(self, P, x):
        return self.bn(P, self.conv(P, x, "stem.net.0", 1, 1), "stem.net.1", True)

    def body(self, P, ops, h):
        for stage in (1, 2, 3):
            for i in range(self.cells):
                h = self.cell(P, ops, h, f"stack_cell{stage}.{i}")
            if stage < 3:
                h = self.reduction(P, h, f"reduction{stage}")
        h = F.relu(self.bn(P, h, "top.lastact.0", True))
        pooled = h.mean(dim=(2, 3))
        return F.linear(pooled, P["top.classifier.weight"], P["top.classifier.bias"])


def used_params(specs, ops_list):
    """Names (network order) a forward of any of ops_list uses: shared ones plus the chosen ops'."""
    chosen = set()
    for ops in ops_list:
        for e, op in enumerate(ops):
            chosen.add(f".options.{5 * e + OPTION_ORDER.index(op)}.")
    out = []
    for s in specs:
        name = s["name"]
        if ".options." in name:
            opt = name[name.index(".options."):]
            if not any(opt.startswith(c) for c in chosen):
                continue
        out.append(s)
    return out


class TorchSide:
    def __init__(self, meta, folder, same_ops=False):
        self.meta = meta
        self.folder = folder
        self.net = Supernet(meta["cells"], same_ops)
        self.specs = meta["params"]
        self.offsets = {}
        off = 0
        for s in self.specs:
            n = int(np.prod(s["shape"]))
            self.offsets[s["name"]] = (off, n)
            off += n
        self.size = off
        self.weights = np.fromfile(os.path.join(folder, "weights.f32"), dtype="<f4")
        if self.weights.size != off:
            raise ValueError(f"weights.f32 has {self.weights.size} values, the params {off}")
        b = meta["batch"]
        self.x = torch.from_numpy(np.fromfile(os.path.join(folder, "train_x.f32"), dtype="<f4")
                                  .reshape(b, 3, 32, 32).copy())
        self.y = torch.from_numpy(np.fromfile(os.path.join(folder, "train_y.i64"), dtype="<i8").copy())
        n = meta["eval_images"]
        self.ex = torch.from_numpy(np.fromfile(os.path.join(folder, "eval_x.f32"), dtype="<f4")
                                   .reshape(n, 3, 32, 32).copy())
        self.ey = torch.from_numpy(np.fromfile(os.path.join(folder, "eval_y.i64"), dtype="<i8").copy())
        self.pairs = [(parse_arch(p["a"]), parse_arch(p["b"]), p["preferred"]) for p in meta["pairs"]]
        self.pair_specs = [used_params(self.specs, [a, b]) for a, b, _ in self.pairs]
        self.eval_archs = [parse_arch(a) for a in meta["eval_archs"]]
        self.eval_specs = [used_params(self.specs, [a]) for a in self.eval_archs]

    def load(self, specs, grad):
        """The weights of specs as tensors, from the flat vector (what a worker receives)."""
        P = {}
        for s in specs:
            off, n = self.offsets[s["name"]]
            t = torch.from_numpy(self.weights[off:off + n].copy()).view(s["shape"])
            if grad:
                t.requires_grad_(True)
            P[s["name"]] = t
        return P

    def step(self, k):
        """One worker step on pair k: (gradient sum as a flat vector, CE_a, CE_b, R)."""
        a, b, preferred = self.pairs[k % len(self.pairs)]
        specs = self.pair_specs[k % len(self.pairs)]
        P = self.load(specs, True)
        n = self.x.shape[0]
        logits_a, logits_b = self.net.forward_pair(P, a, b, self.x)
        loss_a = F.cross_entropy(logits_a, self.y)
        loss_b = F.cross_entropy(logits_b, self.y)
        anchor = loss_a.detach()
        z = loss_b - anchor if preferred == "B" else anchor - loss_b
        r = torch.clamp(z + self.meta["margin"], min=0)
        total = loss_a + loss_b + self.meta["lambda"] * r
        (total * n).backward()
        grad = np.zeros(self.size, dtype=np.float32)
        for s in specs:
            t = P[s["name"]]
            if t.grad is not None:
                off, cnt = self.offsets[s["name"]]
                grad[off:off + cnt] = t.grad.reshape(-1).numpy()
        return grad, loss_a.item(), loss_b.item(), r.item()

    def evaluate(self, k):
        """Top-1 accuracy of eval arch k on the held-out images."""
        ops = self.eval_archs[k % len(self.eval_archs)]
        bs = self.meta["eval_batch"]
        with torch.no_grad():
            P = self.load(self.eval_specs[k % len(self.eval_archs)], False)
            correct = 0
            for i in range(0, self.ex.shape[0], bs):
                logits = self.net.forward(P, ops, self.ex[i:i + bs])
                correct += int((logits.argmax(1) == self.ey[i:i + bs]).sum())
        return correct / self.ex.shape[0]


class JavaSide:
    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     bufsize=1)
        self.expect("@ready")

    def expect(self, prefix):
        for line in self.proc.stdout:
            if line.startswith("@error"):
                raise RuntimeError("java side: " + line.strip())
            if line.startswith(prefix):
                return line.strip()
        raise RuntimeError(f"the java side ended (exit {self.proc.wait()}) before {prefix!r}")

    def run(self, what, k, trace=None):
        self.proc.stdin.write(f"profile {what} {k} {trace}\n" if trace else f"{what} {k}\n")
        self.proc.stdin.flush()
        parts = self.expect("@ms").split()
        self.faults = int(parts[3])
        self.cpu = float(parts[4])
        return float(parts[1]), int(parts[2])

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.proc.wait(timeout=60)


def check_parity(meta, side, tol):
    """Compares this side's pair-0 step and eval accuracies with the Java side's; exits 1 if off."""
    folder = side.folder
    grad, ce_a, ce_b, r = side.step(0)
    want = np.fromfile(os.path.join(folder, "grad0.f32"), dtype="<f4")
    n = meta["pair0"]["count"]
    scale = float(np.abs(want).max())
    gdiff = float(np.abs(grad - want).max()) / scale
    p0 = meta["pair0"]
    ldiff = max(abs(ce_a - p0["ce_a_sum"] / n), abs(ce_b - p0["ce_b_sum"] / n),
                abs(r - p0["rank_sum"] / n))
    accs = [side.evaluate(k) for k in range(len(side.eval_archs))]
    adiff = max(abs(x - y) for x, y in zip(accs, meta["eval_accuracy"]))
    print(f"parity (same weights, batch, archs): pair 0 CE_a {ce_a:.6f} CE_b {ce_b:.6f} R {r:.6f}; "
          f"max |loss diff| {ldiff:.2e}, max |grad diff| / max |grad| {gdiff:.2e}, "
          f"max |accuracy diff| {adiff:.4f} over {len(accs)} eval archs")
    # A few held-out images may flip class between float orders; allow 1% of them.
    if ldiff > tol or gdiff > tol or adiff > 0.01:
        print("step-vs-pytorch: the two sides do not compute the same functions", file=sys.stderr)
        sys.exit(1)


def events(trace):
    """The events of a Chrome trace, in either of its two layouts (a list, or an object)."""
    return trace["traceEvents"] if isinstance(trace, dict) else trace


def top_level(evts):
    """(name, microseconds) of the ops of a trace that no other op of the same thread contains."""
    out = []
    by_thread = {}
    for e in evts:
        if e.get("ph") == "X" and e.get("cat", "cpu_op") in ("cpu_op", "operator", "Operator"):
            by_thread.setdefault(e.get("tid"), []).append(e)
    for evs in by_thread.values():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        end = -1.0
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            if ts >= end:
                out.append((e["name"], dur))
                end = ts + dur
    return out


def summarise(label, wall_ms, ops, reps):
    native = sum(d for _, d in ops) / 1e3 / reps
    print(f"  {label:8} wall {wall_ms:8.2f} ms, in libtorch ops {native:8.2f} ms "
          f"({100 * native / wall_ms:4.1f}%), outside them {wall_ms - native:7.2f} ms; "
          f"{len(ops) / reps:6.0f} top-level ops")
    per = {}
    for name, d in ops:
        c, t = per.get(name, (0, 0.0))
        per[name] = (c + 1, t + d)
    return {n: (c / reps, t / 1e3 / reps) for n, (c, t) in per.items()}


def profile(java, side, folder, reps):
    """Where the time goes: each side's wall time against the time inside libtorch's ops."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile
    print(f"\nprofile (libtorch's profiler on both sides, {reps} runs each; times per run)")
    for what, fn in (("train", side.step), ("eval", side.evaluate)):
        print(f"{what}:")
        ops, wall = [], 0.0
        for k in range(reps):
            trace = os.path.join(folder, f"djl-{what}-{k}.json")
            ms, _ = java.run(what, k, trace)
            wall += ms
            with open(trace) as f:
                ops += top_level(events(json.load(f)))
        ours = summarise("ours", wall / reps, ops, reps)
        ops, wall = [], 0.0
        for k in range(reps):
            with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
                wall += timed(lambda: fn(k))
            trace = os.path.join(folder, f"torch-{what}-{k}.json")
            prof.export_chrome_trace(trace)
            with open(trace) as f:
                ops += top_level(events(json.load(f)))
        theirs = summarise("PyTorch", wall / reps, ops, reps)
        names = sorted(set(ours) | set(theirs), key=lambda n: -max(ours.get(n, (0, 0))[1],
                                                                    theirs.get(n, (0, 0))[1]))
        print(f"    {'op':44}{'ours n':>8}{'ours ms':>9}{'torch n':>9}{'torch ms':>9}")
        for n in names[:14]:
            o, t = ours.get(n, (0, 0.0)), theirs.get(n, (0, 0.0))
            print(f"    {n[-44:]:44}{o[0]:8.0f}{o[1]:9.2f}{t[0]:9.0f}{t[1]:9.2f}")


def minor_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def timed(fn):
    t0 = time.perf_counter()
    c0 = time.thread_time()
    fn()
    timed.cpu = (time.thread_time() - c0) * 1e3
    return (time.perf_counter() - t0) * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", required=True, help="where the java side exports")
    ap.add_argument("--steps", type=int, default=40, help="timed steps per side")
    ap.add_argument("--evals", type=int, default=16, help="timed subnet evaluations per side")
    ap.add_argument("--warmup", type=int, default=120,
                    help="untimed steps first: the JVM's JIT compilers, which share the cores, settle after "
                         "about 120 steps (job 2's executors run thousands)")
    ap.add_argument("--eval-warmup", type=int, default=8, help="untimed evaluations first")
    ap.add_argument("--tolerance", type=float, default=1e-3)
    ap.add_argument("--profile", type=int, default=0, help="then profile this many runs per side")
    ap.add_argument("--same-ops", action="store_true",
                    help="this side also skips dead ops, shares a pair's stem, pools by convolution")
    ap.add_argument("java", nargs=argparse.REMAINDER, help="-- then the java command")
    args = ap.parse_args()
    cmd = args.java[1:] if args.java[:1] == ["--"] else args.java
    if not cmd:
        ap.error("give the java command after --")
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    java = JavaSide(cmd)
    try:
        meta = json.load(open(os.path.join(args.folder, "meta.json")))
        side = TorchSide(meta, args.folder, args.same_ops)
        ops = "job 2's ops (--same-ops)" if args.same_ops else "the authors' ops"
        print(f"ours: {meta['engine']} (DJL), threads {meta['threads']}; PyTorch {torch.__version__} "
              f"eager with {ops}, threads {torch.get_num_threads()}; data {meta['data']}")
        print(f"C={meta['channels']} N={meta['cells']}, space {meta['space']}, step: a pair on "
              f"{meta['batch']} images (lambda {meta['lambda']}), eval: {meta['eval_images']} images "
              f"in batches of {meta['eval_batch']}; {len(side.pairs)} pairs, "
              f"{len(side.eval_archs)} eval archs")
        check_parity(meta, side, args.tolerance)
        results = {}
        for what, reps, warmup, torch_fn in (
                ("train", args.steps, args.warmup, side.step),
                ("eval", args.evals, args.eval_warmup, side.evaluate)):
            ours, theirs, arrays, faults, cpu = [], [], 0, [[], []], [[], []]
            for i in range(-warmup, reps):
                k = i % (len(side.pairs) if what == "train" else len(side.eval_archs))
                f0 = minor_faults()
                if i % 2 == 0:
                    ms, arrays = java.run(what, k)
                    t = timed(lambda: torch_fn(k))
                else:
                    t = timed(lambda: torch_fn(k))
                    ms, arrays = java.run(what, k)
                if i >= 0:
                    ours.append(ms)
                    theirs.append(t)
                    faults[0].append(java.faults)
                    cpu[0].append(java.cpu)
                    cpu[1].append(timed.cpu)
                    faults[1].append(minor_faults() - f0)
            results[what] = (statistics.median(ours), statistics.median(theirs), arrays,
                             statistics.median(o / t for o, t in zip(ours, theirs)),
                             statistics.median(faults[0]), statistics.median(faults[1]),
                             statistics.median(cpu[0]), statistics.median(cpu[1]))
        load = os.getloadavg()
        print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; "
              f"medians over {args.steps} steps / {args.evals} evaluations, interleaved")
        print(f"{'':30}{'ours ms':>9}{'PyTorch ms':>11}{'ratio':>7}{'paired':>8}"
              f"{'CPU ms ours / PyTorch':>24}{'page faults':>18}")
        labels = {"train": "RD-NAS step (pair, fwd+bwd)", "eval": "eval, per subnet (fwd only)"}
        for what, (o, t, arrays, paired, fo, ft, co, ct) in results.items():
            print(f"{labels[what]:30}{o:9.2f}{t:11.2f}{o / t:6.2f}x{paired:7.2f}x"
                  f"{co:11.2f} /{ct:8.2f} ({co / ct:.2f}x){fo:8.0f} /{ft:7.0f}")
        print("ratio: of the medians; paired: median of each repetition's ours / PyTorch; CPU ms: "
              "the computing thread's CPU time (wall minus waiting for a core); page faults: "
              "minor faults per run (fresh memory touched)")
        if args.profile:
            profile(java, side, args.folder, args.profile)
        leftover = results["eval"][2]
        if leftover:
            print(f"step-vs-pytorch: {leftover} NDArrays left open on the java side", file=sys.stderr)
            sys.exit(1)
    finally:
        java.close()


if __name__ == "__main__":
    main()
