# Exercise-check helpers: a wrong answer gets a readable message, not a traceback.
def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise AssertionError(
            f"`{fn.__name__}` is not written yet: replace its NotImplementedError."
        ) from None
    except Exception as e:
        raise AssertionError(
            f"`{fn.__name__}` raised {type(e).__name__}: {e}"
        ) from None


def check_array(
    name, got, expected=None, *, shape=None, dtype=None, rtol=1e-4, atol=1e-5
):
    """Check shape, dtype kind and values, with a message a student can act on."""
    if got is None:
        raise AssertionError(f"{name}: got None; did the function forget to `return`?")
    arr = np.asarray(got)
    if shape is None and expected is not None:
        shape = np.shape(expected)
    if shape is not None and arr.shape != tuple(shape):
        raise AssertionError(f"{name}: expected shape {tuple(shape)}, got {arr.shape}")
    if dtype is not None and not np.issubdtype(arr.dtype, dtype):
        raise AssertionError(
            f"{name}: expected a {np.dtype(dtype).name} array, got {arr.dtype.name}"
        )
    if expected is not None and not np.allclose(arr, expected, rtol=rtol, atol=atol):
        diff = np.abs(arr - np.asarray(expected))
        i = tuple(int(j) for j in np.unravel_index(np.argmax(diff), diff.shape))
        got_i, want_i = arr[i].item(), np.asarray(expected)[i].item()
        raise AssertionError(
            f"{name}: wrong values; largest difference {diff.max():.3g} at index {i} "
            f"(got {got_i:.4g}, expected {want_i:.4g})"
        )
    print(f"OK: {name}")


def check_true(name, condition, message):
    if not condition:
        raise AssertionError(f"{name}: {message}")
    print(f"OK: {name}")
