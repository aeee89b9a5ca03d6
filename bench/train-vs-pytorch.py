"""PyTorch CPU half of bench/train-vs-pytorch.ts: the same CNN as main/core/ml/model.ts.

Prints one JSON line: {"threads", "trainSamplesPerSec", "inferSamplesPerSec", ...}.
Run: python3 bench/train-vs-pytorch.py --threads 1 --size 28 --batch 64 --samples 4096
"""
import argparse
import json
import time

import numpy as np
import torch
from torch import nn


def build(size, filters, kernel, dense, dropout, classes):
    layers = []
    cin, side = 1, size
    for f in filters:
        layers += [nn.Conv2d(cin, f, kernel, padding=kernel // 2), nn.ReLU(), nn.MaxPool2d(2)]
        cin, side = f, side // 2
    layers.append(nn.Flatten())
    n = cin * side * side
    for d in dense:
        layers += [nn.Linear(n, d), nn.ReLU(), nn.Dropout(dropout)]
        n = d
    layers.append(nn.Linear(n, classes))  # softmax is inside CrossEntropyLoss
    return nn.Sequential(*layers)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--size", type=int, default=28)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--samples", type=int, default=4096)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--filters", default="32,64,128")
    p.add_argument("--kernel", type=int, default=3)
    p.add_argument("--dense", default="256,128")
    p.add_argument("--dropout", type=float, default=0.4)
    p.add_argument("--classes", type=int, default=36)
    p.add_argument("--infer-samples", type=int, default=8192)
    p.add_argument("--infer-batch", type=int, default=256)
    p.add_argument("--data", default="", help="prefix of <p>.x.f32/<p>.y.i32 (and <p>-infer.x.f32) written by the TS side")
    p.add_argument("--mode", choices=["train", "infer", "both"], default="both")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    filters = [int(x) for x in a.filters.split(",") if x]
    dense = [int(x) for x in a.dense.split(",") if x]
    model = build(a.size, filters, a.kernel, dense, a.dropout, a.classes)
    if a.data:
        # NHWC with one channel has the same memory layout as NCHW.
        xs = torch.from_numpy(np.fromfile(a.data + ".x.f32", dtype=np.float32)).reshape(-1, 1, a.size, a.size)
        ys = torch.from_numpy(np.fromfile(a.data + ".y.i32", dtype=np.int32).astype(np.int64))
        ix = torch.from_numpy(np.fromfile(a.data + "-infer.x.f32", dtype=np.float32)).reshape(-1, 1, a.size, a.size)
        a.samples, a.infer_samples = len(ys), len(ix)
    else:
        xs = torch.rand(a.samples, 1, a.size, a.size)
        ys = torch.randint(0, a.classes, (a.samples,))
        ix = torch.rand(a.infer_samples, 1, a.size, a.size)
    out = {"engine": f"pytorch {torch.__version__} cpu", "threads": a.threads}
    if a.mode in ("train", "both"):
        out.update(train(model, xs, ys, a))
    if a.mode in ("infer", "both"):
        out.update(infer(model, ix, a))
    print(json.dumps(out))


def train(model, xs, ys, a):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    model.train()
    for i in range(3):  # warm-up
        step(xs[i * a.batch:(i + 1) * a.batch], ys[i * a.batch:(i + 1) * a.batch])
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    for _ in range(a.epochs):
        perm = torch.randperm(a.samples)
        for i in range(0, a.samples, a.batch):
            idx = perm[i:i + a.batch]
            loss = step(xs[idx], ys[idx])
            n += len(idx)
    train_sec, train_cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"trainSamples": n, "trainSamplesPerSec": round(n / train_sec, 1),
            "trainSamplesPerCpuSec": round(n / train_cpu, 1), "finalLoss": round(float(loss), 4)}


def infer(model, ix, a):
    model.eval()
    with torch.no_grad():
        model(ix[: a.infer_batch])
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, a.infer_samples, a.infer_batch):
            torch.softmax(model(ix[i:i + a.infer_batch]), dim=1)
        infer_sec, infer_cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"inferSamplesPerSec": round(a.infer_samples / infer_sec, 1),
            "inferSamplesPerCpuSec": round(a.infer_samples / infer_cpu, 1)}


if __name__ == "__main__":
    main()
