# The book's trainer: minibatch steps fused into one compiled scan per chunk.
@partial(jax.jit, static_argnames="loss_fn")
def train_chunk(model, optimizer, x, y, batch_idx, loss_fn):
    """len(batch_idx) optimizer steps in one compiled program; new state and losses."""

    def step(carry, idx):
        model, optimizer = carry
        loss, grads = nnx.value_and_grad(loss_fn)(model, x[idx], y[idx])
        optimizer.update(model, grads)
        return (model, optimizer), loss

    (model, optimizer), losses = jax.lax.scan(step, (model, optimizer), batch_idx)
    return model, optimizer, losses


def train(
    model, optimizer, x, y, key, *, loss_fn, n_steps, batch_size, n_chunks=4, label=None
):
    """Train for `n_steps` minibatches drawn with `key`, in `n_chunks` compiled chunks.

    Returns the trained model, its optimizer and the loss of every step. With a `label`,
    prints a progress line after each chunk. Rebind what it returns: under `jax.jit`
    the model passed in is left unchanged.
    """
    batch_idx = jax.random.randint(key, (n_steps, batch_size), 0, len(x))
    losses = []
    for chunk in jnp.split(batch_idx, n_chunks):
        model, optimizer, chunk_losses = train_chunk(
            model, optimizer, x, y, chunk, loss_fn
        )
        losses.append(np.asarray(chunk_losses))
        if label is not None:
            done = sum(map(len, losses))
            print(f"{label}: step {done}/{n_steps}, loss {losses[-1][-20:].mean():.3f}")
    return model, optimizer, np.concatenate(losses)
