#!/usr/bin/python3
"""PyTorch baseline for `vae bench --compare-pytorch`.

Times the standard recipe exactly as `vae bench` does on the Java backends: the
pytorch/examples VAE (784-400-20, ReLU, fc1/fc21/fc22/fc3/fc4, sigmoid decoder,
loss BCE(sum) + KLD, Adam lr 1e-3), full batches drawn from a seeded permutation of
the data (index_select), `warmup` untimed steps, then `repeats` x `steps` timed steps,
each step timed on its own (time.perf_counter). The model is the one of
../shared/anchors/pytorch_vae.py. Denormals are flushed (torch.set_flush_denormal)
and the thread count is set explicitly, as the anchor's notes advise. `vae bench`
sets OPENBLAS_CORETYPE from the CPU's flags when it is unset (OpenBLAS falls back to
slow SSE3 kernels on CPUs it does not recognise, as the ND4J backend also works around).

Data: Fashion-MNIST's training images (pixel/255) from the IDX files, or seeded
uniform synthetic data of the same shape (--data synthetic).

Writes one JSON object (to --json FILE, else stdout):
  {"torch_version", "threads", "flush_denormal", "data", "openblas_coretype",
   "ceiling_size", "ceiling_gflops",
   "results": [{"batch", "step_ms": [...], "repeat_mean_ms": [...],
                "last_loss_per_sample"}]}

Run with /usr/bin/python3 (Debian python3-torch). Not needed by any test.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim

DATA_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx_images(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, n, rows, cols = np.frombuffer(data, dtype=">i4", count=4)
    if magic != 2051:
        raise SystemExit(f"{path}: bad IDX magic {magic}")
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, rows * cols)


def find(directory, stem):
    for name in (stem + ".gz", stem, stem.replace("-idx", ".idx") + ".gz", stem.replace("-idx", ".idx")):
        p = os.path.join(directory, name)
        if os.path.isfile(p):
            return p
    return None


def load_data(kind, samples, seed, directory):
    if kind == "fashion-mnist":
        path = find(directory, "train-images-idx3-ubyte")
        if path is None:
            raise SystemExit(f"train-images-idx3-ubyte[.gz] not found in {directory}")
        x = read_idx_images(path).astype(np.float32) / np.float32(255.0)
        return torch.from_numpy(np.ascontiguousarray(x)), f"Fashion-MNIST training set ({x.shape[0]} images)"
    rng = np.random.default_rng(seed)
    x = rng.random((samples, 784), dtype=np.float32)
    return torch.from_numpy(x), f"synthetic: {samples} seeded uniform samples"


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def ceiling_gflops(n=2048, reps=5):
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    torch.mm(a, b)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
    return 2.0 * n ** 3 / best / 1e9


def run(x, batch, warmup, steps, repeats, seed):
    torch.manual_seed(seed)
    model = VAE()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    n = x.shape[0]
    g = torch.Generator().manual_seed(seed)
    state = {"perm": None, "pos": 0}

    def next_rows():
        if state["perm"] is None or state["pos"] + batch > n:
            state["perm"] = torch.randperm(n, generator=g)
            state["pos"] = 0
        rows = state["perm"][state["pos"]:state["pos"] + batch]
        state["pos"] += batch
        return rows

    def step():
        data = x.index_select(0, next_rows())
        optimizer.zero_grad()
        recon, mu, logvar = model(data)
        loss = loss_function(recon, data, mu, logvar)
        loss.backward()
        value = loss.item()
        optimizer.step()
        return value

    for _ in range(warmup):
        step()
    step_ms, repeat_mean = [], []
    last = float("nan")
    for _ in range(repeats):
        r0 = time.perf_counter()
        for _ in range(steps):
            t0 = time.perf_counter()
            last = step()
            step_ms.append((time.perf_counter() - t0) * 1e3)
        repeat_mean.append((time.perf_counter() - r0) * 1e3 / steps)
    return {"batch": batch, "step_ms": step_ms, "repeat_mean_ms": repeat_mean,
            "last_loss_per_sample": last / batch}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--batch-sizes", type=str, default="128,16")
    p.add_argument("--data", choices=["fashion-mnist", "synthetic"], default="fashion-mnist")
    p.add_argument("--data-dir", type=str, default=DATA_DIR)
    p.add_argument("--synthetic-samples", type=int, default=8192)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--ceiling-size", type=int, default=2048, help="0 skips the matmul ceiling")
    p.add_argument("--json", type=str, default=None)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    flushed = bool(torch.set_flush_denormal(True))
    x, described = load_data(args.data, args.synthetic_samples, args.seed, args.data_dir)
    out = {"torch_version": torch.__version__, "threads": torch.get_num_threads(),
           "flush_denormal": flushed, "data": described, "python": sys.version.split()[0],
           "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "")}
    out["ceiling_size"] = args.ceiling_size
    out["ceiling_gflops"] = ceiling_gflops(args.ceiling_size) if args.ceiling_size > 0 else None
    out["results"] = [run(x, int(b), args.warmup, args.steps, args.repeats, args.seed)
                      for b in args.batch_sizes.split(",")]
    text = json.dumps(out)
    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, args.json)
    else:
        print(text)


if __name__ == "__main__":
    main()
