"""How much each chapter costs to run, and how close the book's training loop gets to the hardware.

    .venv/bin/python tools/benchmark.py                 # every chapter + the loop benchmark
    .venv/bin/python tools/benchmark.py notebooks/perceptron.ipynb
    .venv/bin/python tools/benchmark.py --loop-only
    .venv/bin/python tools/benchmark.py --label gpu     # record under "gpu" (run on a GPU machine)

Each chapter is executed top to bottom in a fresh kernel in an empty directory (nothing cached);
wall time and the kernel's peak resident memory (sampled every 0.1 s) are printed against the
budget (90 s per chapter, 15 min for the book). Results are merged into book/benchmark.json, which
the book's speed page and each chapter's run-time line read. Not a pass/fail test: the machine may
be shared and timings are noisy; run it on an idle machine.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S, BOOK_BUDGET_S = 90, 15 * 60
OUT = ROOT / "book" / "benchmark.json"


def machine_name():
    n = os.cpu_count()
    try:
        with open("/proc/cpuinfo") as f:
            model = next(
                line.split(":", 1)[1].strip()
                for line in f
                if line.startswith("model name")
            )
    except (OSError, StopIteration):
        model = platform.processor() or platform.machine()
    return f"{n}-core CPU ({model})"


def run_chapter(path):
    import nbformat
    import psutil
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        client = NotebookClient(
            nb,
            timeout=900,
            kernel_name="python3",
            resources={"metadata": {"path": tmp}},
        )
        peak, stop = [0], threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    pid = (
                        client.km.provisioner.process.pid
                        if client.km and client.km.provisioner
                        else None
                    )
                    if pid:
                        p = psutil.Process(pid)
                        rss = p.memory_info().rss + sum(
                            c.memory_info().rss for c in p.children(recursive=True)
                        )
                        peak[0] = max(peak[0], rss)
                except Exception:
                    pass
                time.sleep(0.1)

        t = threading.Thread(target=sample, daemon=True)
        start = time.time()
        with client.setup_kernel():
            t.start()
            for i, cell in enumerate(nb.cells):
                client.execute_cell(cell, i)
        seconds = time.time() - start
        stop.set()
    return {"seconds": round(seconds, 1), "peak_mb": round(peak[0] / 2**20)}


LOOP_CODE = r"""
import time, json, jax, jax.numpy as jnp, optax
from flax import nnx
depth, width, batch, n_steps = 20, 128, 256, 600
x = jax.random.normal(jax.random.key(0), (4000, 40)); y = jax.random.randint(jax.random.key(1), (4000,), 0, 10)
class MLP(nnx.Module):
    def __init__(self, rngs):
        self.layers = nnx.List([nnx.Linear(40 if i == 0 else width, width, rngs=rngs) for i in range(depth)])
        self.head = nnx.Linear(width, 10, rngs=rngs)
    def __call__(self, h):
        for layer in self.layers:
            h = jax.nn.relu(layer(h))
        return self.head(h)
def loss_fn(model, xb, yb):
    return optax.softmax_cross_entropy_with_integer_labels(model(xb), yb).mean()
n_params = sum(p.size for p in jax.tree.leaves(nnx.state(MLP(nnx.Rngs(0)), nnx.Param)))
flops_per_step = 6 * batch * n_params                     # forward 2, backward 4 FLOPs per weight and example
idx = jax.random.randint(jax.random.key(2), (n_steps, batch), 0, 4000)
tx = optax.adam(1e-3)
@jax.jit
def fused(model, opt, idx):
    def step(carry, i):
        model, opt = carry
        loss, g = nnx.value_and_grad(loss_fn)(model, x[i], y[i]); opt.update(model, g)
        return (model, opt), loss
    return jax.lax.scan(step, (model, opt), idx)
@nnx.jit
def one_step(model, opt, i):
    loss, g = nnx.value_and_grad(loss_fn)(model, x[i], y[i]); opt.update(model, g); return loss
def timed(fn):
    fn(); start = time.perf_counter(); fn(); return time.perf_counter() - start
m = MLP(nnx.Rngs(0)); o = nnx.Optimizer(m, tx, wrt=nnx.Param)
t_fused = timed(lambda: jax.block_until_ready(fused(m, o, idx)[1]))
m2 = MLP(nnx.Rngs(0)); o2 = nnx.Optimizer(m2, tx, wrt=nnx.Param)
def loop():
    for i in idx: l = one_step(m2, o2, i)
    jax.block_until_ready(l)
t_step = timed(loop)
a = jax.random.normal(jax.random.key(3), (2048, 2048)); mm = jax.jit(lambda a: a @ a)
t_mm = min(timed(lambda: mm(a).block_until_ready()) for _ in range(5))
ceiling = 2 * 2048 ** 3 / t_mm
out = {"model": f"MLP {depth}x{width}, batch {batch}, Adam, {n_params} params", "ceiling_gflops": ceiling / 1e9}
for name, t in [("fused scan", t_fused), ("per-step nnx.jit", t_step)]:
    sps = n_steps / t
    out[name] = {"steps_per_s": sps, "gflops": sps * flops_per_step / 1e9, "fraction_of_ceiling": sps * flops_per_step / ceiling}
print("LOOP=" + json.dumps(out))
"""


def run_loop():
    res = subprocess.run(
        [sys.executable, "-c", LOOP_CODE], capture_output=True, text=True, timeout=900
    )
    line = [l for l in res.stdout.splitlines() if l.startswith("LOOP=")]
    if not line:
        raise RuntimeError(res.stderr[-2000:])
    return json.loads(line[0][5:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebooks", nargs="*")
    ap.add_argument(
        "--label", default="cpu", help="record results under this key (cpu or gpu)"
    )
    ap.add_argument("--loop-only", action="store_true")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args()
    paths = [Path(p) for p in args.notebooks] or sorted(
        (ROOT / "notebooks").glob("*.ipynb")
    )
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    entry = data.setdefault(args.label, {})
    entry.update(
        {
            "machine": machine_name(),
            "date": time.strftime("%Y-%m-%d"),
            "python": platform.python_version(),
        }
    )
    try:
        import jax

        entry["jax"] = f"jax {jax.__version__}, backend {jax.default_backend()}"
    except ImportError:
        pass
    if not args.loop_only:
        chapters = entry.setdefault("chapters", {})
        print(f"{'chapter':28s} {'wall (s)':>9s} {'peak MB':>8s}  budget {BUDGET_S} s")
        for p in paths:
            r = run_chapter(p)
            chapters[p.stem] = r
            flag = "ok" if r["seconds"] <= BUDGET_S else "OVER BUDGET"
            print(
                f"{p.stem:28s} {r['seconds']:9.1f} {r['peak_mb']:8d}  {flag}",
                flush=True,
            )
        total = sum(c["seconds"] for c in chapters.values())
        entry["total_seconds"] = round(total, 1)
        print(
            f"{'all chapters':28s} {total:9.1f}           book budget {BOOK_BUDGET_S} s: "
            f"{'ok' if total <= BOOK_BUDGET_S else 'OVER BUDGET'}"
        )
    loop = run_loop()
    entry["loop"] = loop
    print(
        f"\ntraining loop ({loop['model']}); matmul ceiling {loop['ceiling_gflops']:.0f} GFLOP/s"
    )
    for k in ("fused scan", "per-step nnx.jit"):
        v = loop[k]
        print(
            f"  {k:18s} {v['steps_per_s']:7.0f} steps/s  {v['gflops']:6.1f} GFLOP/s  {v['fraction_of_ceiling']:.0%} of ceiling"
        )
    if not args.no_save:
        OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        print(f"saved to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
