# The book's helpers (glue, claims, colors, tables): the same in every chapter.
try:  # myst_nb's glue puts computed numbers into the book's prose
    from myst_nb import glue as _myst_glue
except ImportError:  # Colab has no myst_nb: glue just records the values
    _myst_glue = None

GLUED, CLAIMS = {}, {}


def glue(name, value, display=True):  # noqa: A002 (myst_nb's own signature)
    """Record a computed number for the prose (NumPy and JAX scalars as Python ones)."""
    if hasattr(value, "item") and np.ndim(value) == 0:
        value = value.item()
    GLUED[name] = value
    if _myst_glue is not None:
        _myst_glue(name, value, display=display)


def claim(name, value, holds, expected, seeds=None):
    """Glue `value` into the prose as `name` and check the claim it supports.

    `holds` is the test (a bool), `expected` says in words what it requires, and
    `seeds` is the number of training runs the value rests on (None: no training).
    """
    glue(name, value, display=False)
    CLAIMS[name] = {"value": GLUED[name], "expected": expected, "seeds": seeds}
    if not holds:
        raise AssertionError(
            f"claim {name!r} failed: expected {expected}, got {value!r}"
        )


def depth_color(depth, max_depth=128):
    """One colour per depth, the same in every chapter (1 is dark, 128 is yellow)."""
    return plt.cm.viridis(0.9 * np.log2(depth) / np.log2(max_depth))


def seed_table(values, digits=3):
    """Mean, spread and runs of {condition: [one value per run]}, as a table."""
    rows = {
        k: {
            "mean": np.mean(v),
            "std": np.std(v),
            "min": np.min(v),
            "max": np.max(v),
            "runs": len(v),
        }
        for k, v in values.items()
    }
    return pd.DataFrame(rows).T.round(digits).astype({"runs": int})


plt.rcParams.update(
    {
        "figure.figsize": (6, 3.6),
        "axes.grid": True,
        "grid.alpha": 0.3,
        "lines.linewidth": 2,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
