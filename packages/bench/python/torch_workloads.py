"""PyTorch versions of the suite's workloads (src/workloads.ts): eager CPU ops and nn.Module models, NCHW."""
import torch
import torch.nn.functional as F
from torch import nn

from torch_data import floats, labels


def _t(shape, seed, scale=1.0):
    """A float32 tensor of `shape` from the shared generator (the same numbers as the TS systems)."""
    n = 1
    for d in shape:
        n *= d
    return torch.from_numpy(floats(n, seed, scale)).reshape(shape)


def _ints(n, seed):
    """`n` int64 class labels in [0, 10), as cross_entropy expects."""
    return torch.from_numpy(labels(n, 10, seed))


def mlp():
    """784-256-128-10 with ReLU (fluxion-models.ts's mlp)."""
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn(channels):
    """Rounds of 3×3 SAME conv + ReLU + 2×2 max-pool with `channels`, then dense to 10 classes."""
    layers, cin, hw = [], 1, 28
    for c in channels:
        layers += [nn.Conv2d(cin, c, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2)]
        cin, hw = c, hw // 2
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(cin * hw * hw, 10))


def _trainer(model, opt):
    """One training step (forward, softmax cross-entropy, backward, update); returns the loss tensor."""

    def step(x, y):
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.detach()

    return step


def _sgd_step(model, shape, batch):
    """A thunk running one SGD (lr 0.01) step on a fixed batch and reading the loss back."""
    step = _trainer(model, torch.optim.SGD(model.parameters(), lr=0.01))
    x, y = _t([batch, *shape], 8), _ints(batch, 9)
    return lambda: step(x, y).item()


def _epoch(model, shape, n, batch):
    """An epoch over `n` synthetic examples in batches, Adam 1e-3, sliced from one dataset like the Fluxion loop."""
    step = _trainer(model, torch.optim.Adam(model.parameters(), lr=1e-3))
    x, y = _t([n, *shape], 11), _ints(n, 12)
    step(x[:batch], y[:batch])  # first-call allocations outside the timing, as the TS systems do

    def run():
        loss = None
        for s in range(0, n - batch + 1, batch):
            loss = step(x[s : s + batch], y[s : s + batch])
        return loss.item()

    return run


def build(w):
    """The timed function for workload `w` (inputs allocated here, outside the timing), or a reason it cannot run."""
    z, kind = w["size"], w["kind"]
    torch.manual_seed(0)  # deterministic nn.Module initialisation
    if kind == "gemm":
        a, b = _t([z["n"], z["n"]], 1), _t([z["n"], z["n"]], 2)
        return lambda: torch.matmul(a, b)
    if kind == "conv":
        x = _t([z["batch"], z["cin"], z["hw"], z["hw"]], 3)
        k = _t([z["cout"], z["cin"], z["k"], z["k"]], 4, 0.1)
        return lambda: F.conv2d(x, k, padding="same")
    if kind == "tanh":
        a, b = _t([z["n"]], 5), _t([z["n"]], 6)
        return lambda: torch.tanh(a * b + 1)
    if kind == "chain":
        a = _t([z["n"]], 5)
        lo, hi = torch.tensor(-3.0), torch.tensor(3.0)

        def chain():
            y = a
            for _ in range(z["rounds"]):
                y = torch.minimum(torch.maximum(y * 1.01 + 0.01, lo), hi)
            return y

        return chain
    if kind == "sum":
        a = _t([z["n"]], 7)
        return lambda: a.sum().item()
    if kind == "mlpStep":
        return _sgd_step(mlp(), [784], z["batch"])
    if kind == "cnnStep":
        return _sgd_step(cnn([32, 64]), [1, 28, 28], z["batch"])
    if kind == "mlpEpoch":
        return _epoch(mlp(), [784], z["n"], z["batch"])
    if kind == "cnnEpoch":
        # packages/examples' mnistCnn: conv16-pool-conv32-pool-conv32-pool-dense10.
        return _epoch(cnn([16, 32, 32]), [1, 28, 28], z["n"], z["batch"])
    return f"unknown workload kind {kind}"
