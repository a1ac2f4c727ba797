"""Colab safety. Each chapter's setup cell (tools/canonical/setup.py) installs nothing when the
preinstalled packages suffice, never installs outside Colab, and when Colab's image is too old it
either keeps Colab's JAX (so its jaxlib still matches the accelerator plugin) or upgrades JAX as one
matched set. The install it would run is resolved for real with `pip install --dry-run --report`
against an imitated older Colab image (installed versions faked, the accelerator a GPU)."""

import ast
import json
import subprocess
import sys

import pytest
from bookcheck import ROOT, chapter_params, chapters, code, read
from packaging.requirements import Requirement

CHAPTERS = chapters()
CANONICAL_SETUP = (
    ROOT / "tools" / "canonical" / "setup.py"
).read_text()  # all chapters copy it
COLAB_HAS = {
    "jax",
    "jaxlib",
    "numpy",
    "matplotlib",
    "sklearn",
    "scipy",
    "optax",
    "flax",
    "IPython",
    "PIL",
    "pandas",
    "plotly",
    "packaging",
}
PRELUDE = """
import importlib.metadata as _md, json, shutil, subprocess, sys, types
FAKE = {fake!r}            # package -> version this imitated image has (None: not installed)
calls, reports = [], []
_real_version, _real_run = _md.version, subprocess.run
def version(name):
    if name in FAKE:
        if FAKE[name] is None:
            raise _md.PackageNotFoundError(name)
        return FAKE[name]
    return _real_version(name)
_md.version = version
def fake_run(cmd, *args, **kwargs):
    cmd = [str(c) for c in cmd]
    calls.append(cmd)
    if {resolve} and "pip" in cmd and "install" in cmd:
        rest = cmd[cmd.index("install") + 1:]
        rest = [a for a in rest if a not in ("-q", "-U")]
        report = f"report{{len(calls)}}.json"
        res = _real_run([sys.executable, "-m", "pip", "install", "--dry-run", "-q", "--ignore-installed",
                         "--report", report, *rest], capture_output=True, text=True)
        reports.append(json.load(open(report)) if res.returncode == 0 else None)
        if res.returncode:
            raise subprocess.CalledProcessError(res.returncode, cmd)
        return subprocess.CompletedProcess(cmd, 0)
    if {resolve} and cmd and cmd[0] == "nvidia-smi":
        return subprocess.CompletedProcess(cmd, 0)
    return subprocess.CompletedProcess(cmd, 0)
subprocess.run = fake_run
shutil.which = lambda name, *a, **k: "/usr/bin/nvidia-smi" if name == "nvidia-smi" else None
class Stub(types.ModuleType):          # google.colab, as far as any library's import needs it
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Stub(f"{{self.__name__}}.{{name}}")
    def __call__(self, *args, **kwargs):
        return None
if {colab}:
    sys.modules["google"] = Stub("google")
    sys.modules["google.colab"] = sys.modules["google"].colab = Stub("google.colab")
    for sub in ("output", "drive", "files", "_message"):
        sys.modules[f"google.colab.{{sub}}"] = Stub(f"google.colab.{{sub}}")
"""
EPILOGUE = '\nprint("CALLS=" + json.dumps({"calls": calls, "reports": reports}))\n'


def setup_source(path):
    return code(read(path))[0].source


def install_part(source):
    """The setup cell up to its imports of JAX & co. (what runs before anything is installed)."""
    return source.split("\nfrom functools import partial")[0].split("\nimport jax")[0]


def run_setup(source, tmp_path, colab, fake=None, resolve=False):
    script = tmp_path / "setup_cell.py"
    prelude = PRELUDE.format(colab=colab, fake=fake or {}, resolve=resolve)
    script.write_text(prelude + source + EPILOGUE)
    res = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    line = [l for l in res.stdout.splitlines() if l.startswith("CALLS=")][-1]
    return json.loads(line[len("CALLS=") :]), res.stdout


def requires(path):
    tree = ast.parse(install_part(setup_source(path)))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and getattr(node.targets[0], "id", "") == "REQUIRES"
        ):
            return [Requirement(r) for r in ast.literal_eval(node.value)]
    raise AssertionError(f"{path.name}: the setup cell has no REQUIRES list")


@pytest.mark.parametrize("path", chapter_params())
def test_on_colab_installs_nothing_when_the_image_suffices(path, tmp_path):
    result, _ = run_setup(install_part(setup_source(path)), tmp_path, colab=True)
    assert result["calls"] == [], (
        f"everything is installed, yet the cell ran {result['calls']}"
    )


def test_setup_cell_prints_the_devices(tmp_path):
    result, out = run_setup(CANONICAL_SETUP, tmp_path, colab=True)
    assert result["calls"] == [] and "backend" in out, out


@pytest.mark.parametrize("path", chapter_params())
def test_locally_installs_nothing(path, tmp_path):
    fake = {r.name: None for r in requires(path)}  # even with everything "missing"
    result, _ = run_setup(
        install_part(setup_source(path)), tmp_path, colab=False, fake=fake
    )
    assert result["calls"] == [], (
        f"outside Colab the setup cell must not install, it ran {result['calls']}"
    )


@pytest.mark.parametrize("path", chapter_params())
def test_imports_are_on_colab_or_installed(path):
    imported = set()
    for cell in code(read(path)):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names} - {
        "myst_nb",
        "google",
    }
    installed = {r.name.replace("-", "_") for r in requires(path)}
    if "scikit_learn" in installed:
        installed.add("sklearn")
    missing = third_party - COLAB_HAS - installed
    assert not missing, (
        f"imports {missing}, which Colab lacks and REQUIRES does not list"
    )
    if "flax" in imported:
        assert any(
            r.name == "flax" and r.specifier.contains("0.12.4") for r in requires(path)
        )


def _versions(report):
    return {
        i["metadata"]["name"].lower(): i["metadata"]["version"]
        for i in report["install"]
    }


def test_old_colab_image_gets_a_matched_jax(tmp_path):
    """Colab with JAX 0.6 and Flax 0.10 (too old for NNX 0.12) on a GPU runtime: keeping its JAX
    cannot work, so the cell must upgrade jax, jaxlib and the CUDA plugin together."""
    source = install_part(CANONICAL_SETUP)
    fake = {
        "jax": "0.6.0",
        "jaxlib": "0.6.0",
        "flax": "0.10.4",
        "optax": "0.2.4",
        "mnist1d": None,
    }
    result, _ = run_setup(source, tmp_path, colab=True, fake=fake, resolve=True)
    calls, reports = result["calls"], result["reports"]
    pip = [c for c in calls if "pip" in c]
    assert len(pip) == 2 and reports[0] is None, (
        f"expected a failed try keeping JAX 0.6, then an upgrade: {pip}"
    )
    got = _versions(reports[1])
    assert any(a.startswith("jax[cuda") for a in pip[1]), (
        f"the upgrade must name the accelerator: {pip[1]}"
    )
    jax_set = {
        k: v
        for k, v in got.items()
        if k == "jaxlib" or k.startswith("jax-cuda") or k == "jax"
    }
    assert {"jax", "jaxlib"} <= set(jax_set) and any(
        k.startswith("jax-cuda") for k in jax_set
    ), jax_set
    assert len({v.split(".dev")[0] for v in jax_set.values()}) == 1, (
        f"not a matched set: {jax_set}"
    )


def test_recent_colab_image_keeps_its_jax(tmp_path):
    """Colab with a JAX new enough for Flax 0.12 but an old Flax: only Flax & co. change."""
    source = install_part(CANONICAL_SETUP)
    fake = {"flax": "0.10.4", "mnist1d": None}
    result, _ = run_setup(source, tmp_path, colab=True, fake=fake, resolve=True)
    reports = [r for r in result["reports"] if r]
    assert len(reports) == 1, f"expected one install that keeps JAX: {result['calls']}"
    got = _versions(reports[0])
    import importlib.metadata as md

    for pkg in ("jax", "jaxlib"):
        assert got.get(pkg, md.version(pkg)) == md.version(pkg), (
            f"{pkg} would change: {got.get(pkg)}"
        )
    assert "flax" in got, f"flax should be upgraded: {got}"
