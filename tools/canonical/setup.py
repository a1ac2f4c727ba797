# Setup: runs anywhere (Colab, laptop, GPU, TPU); on Colab it installs what is missing.
import importlib.metadata as md
import os
import shutil
import subprocess
import sys

from packaging.requirements import Requirement

REQUIRES = [
    "flax>=0.12.4",
    "optax>=0.2.4",
    "mnist1d",
]  # per chapter: beyond Colab's own


def satisfied(text):
    req = Requirement(text)
    try:
        return req.specifier.contains(md.version(req.name), prereleases=True)
    except md.PackageNotFoundError:
        return False


def pip_install(*args):
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *args], check=True)


unmet = [r for r in REQUIRES if not satisfied(r)]
if "google.colab" in sys.modules and unmet:
    try:  # keep Colab's JAX: its jaxlib matches the runtime's accelerator
        pip_install(
            *unmet, f"jax=={md.version('jax')}", f"jaxlib=={md.version('jaxlib')}"
        )
    except subprocess.CalledProcessError:  # else upgrade JAX as one matched set
        on_tpu, on_gpu = "COLAB_TPU_ADDR" in os.environ, shutil.which("nvidia-smi")
        jax_set = "jax[tpu]" if on_tpu else "jax[cuda12]" if on_gpu else "jax"
        pip_install("-U", jax_set, *unmet)

from functools import partial  # imported after the install above

import jax
import jax.numpy as jnp  # noqa: F401 (the same imports in every chapter)
import matplotlib.pyplot as plt
import numpy as np
import optax  # noqa: F401
import pandas as pd
from flax import nnx  # noqa: F401

SEED = 0  # change it: every claim below must still hold (tools/seed_sweep.py checks)
print(f"jax {jax.__version__}, flax {md.version('flax')}, optax {md.version('optax')}")
print(f"backend {jax.default_backend()}: {jax.devices()}")
