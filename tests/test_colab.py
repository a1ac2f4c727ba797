"""Colab safety: each chapter's setup cell, run as if on Colab, installs what the chapter needs and
nothing that would break Colab's own JAX; run locally it installs nothing. Chapters import only
what Colab has or what the setup cell installs."""
import ast
import json
import subprocess
import sys

import pytest

from bookcheck import chapters, code, read

CHAPTERS = chapters()
COLAB_HAS = {"jax", "jaxlib", "numpy", "matplotlib", "sklearn", "scipy", "optax", "flax", "IPython", "PIL", "pandas"}
MUST_NOT_INSTALL = {"jax", "jaxlib", "numpy", "jupyter-book", "myst-nb"}   # Colab's accelerator builds stay as they are
PRELUDE = '''
import json, subprocess, sys, types
calls = []
def fake_run(cmd, *args, **kwargs):
    calls.append([str(c) for c in cmd])
    return subprocess.CompletedProcess(cmd, 0)
subprocess.run = fake_run
subprocess.check_call = subprocess.check_output = fake_run
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
'''
EPILOGUE = '\nprint("CALLS=" + json.dumps(calls))\n'


def run_setup(path, tmp_path, colab):
    setup = code(read(path))[0].source
    script = tmp_path / "setup_cell.py"
    script.write_text(PRELUDE.format(colab=colab) + setup + EPILOGUE)
    res = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    line = [l for l in res.stdout.splitlines() if l.startswith("CALLS=")][-1]
    return json.loads(line[len("CALLS="):]), res.stdout


def requirement_names(calls):
    names = set()
    for cmd in calls:
        if "pip" in cmd and "install" in cmd:
            for arg in cmd[cmd.index("install") + 1:]:
                if not arg.startswith("-"):
                    names.add(arg.split(">")[0].split("=")[0].split("<")[0].split("[")[0].strip().lower())
    return names


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_setup_cell_on_colab_installs_what_is_needed(path, tmp_path):
    calls, out = run_setup(path, tmp_path, colab=True)
    pip_calls = [c for c in calls if "pip" in c]
    assert len(pip_calls) == 1, f"expected one pip install on Colab, got {calls}"
    installed = requirement_names(calls)
    assert not installed & MUST_NOT_INSTALL, f"the setup cell would reinstall {installed & MUST_NOT_INSTALL} on Colab"
    imported = set()
    for cell in code(read(path)):
        try:
            tree = ast.parse("\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith(("%", "!"))))
        except SyntaxError as e:
            pytest.fail(f"a code cell does not parse: {e}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in {"myst_nb", "google"}}
    missing = {m for m in third_party - COLAB_HAS if m.replace("_", "-") not in installed and m not in installed}
    assert not missing, f"imports {missing}, which Colab lacks and the setup cell does not install"
    if "flax" in imported:
        assert "flax" in installed, "Colab's preinstalled flax may predate NNX 0.12: the setup cell must ask for flax>=0.12.4"
    assert "devices" in out.lower() or "cpu" in out.lower() or "Device" in out, "the setup cell should print jax.devices()"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_setup_cell_locally_installs_nothing(path, tmp_path):
    calls, _ = run_setup(path, tmp_path, colab=False)
    assert calls == [], f"outside Colab the setup cell must not install anything, it ran {calls}"
