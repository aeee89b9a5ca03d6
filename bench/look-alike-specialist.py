"""How well can any CNN of this size tell a look-alike group apart on EMNIST36? Prints figures; not a test.

    /usr/bin/python3 bench/look-alike-specialist.py [--groups 0O,1IL,5S,2Z] [--width 32] [--epochs 8] [--seed 0]

For each group it trains a specialist on the train samples of the group's classes only (a deeper network than
the bundled model: five 3x3 convs with batch norm, 32-32-64-64-128 at --width 32, dense 256, dropout 0.3, Adam
with a one-cycle schedule, shifts of up to 2 px) and counts its errors on the test samples of those classes,
with the group membership given for free: with the train prior, and with the test split's own proportions
(which reads the test labels: a bound, for analysis only). Set these against the bundled model's
"choosing only within the group" line of bench/default-model-errors.ts. Needs Debian's python3-torch and
../shared/data/emnist36 (says so and exits 0 where they are absent).
"""
import argparse
import gzip
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'shared', 'data', 'emnist36')
CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'

try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    print(f'skipped: {e} (apt-get install -y python3-torch)')
    sys.exit(0)
if not os.path.isdir(DATA):
    print(f'skipped: no EMNIST36 at {DATA}')
    sys.exit(0)

ap = argparse.ArgumentParser()
ap.add_argument('--groups', default='0O,1IL,5S,2Z')
ap.add_argument('--width', type=int, default=32)
ap.add_argument('--epochs', type=int, default=8)
ap.add_argument('--seed', type=int, default=0)
ap.add_argument('--threads', type=int, default=2)
args = ap.parse_args()
torch.set_num_threads(args.threads)


def idx(name, offset):
    raw = gzip.open(os.path.join(DATA, name)).read()
    return np.frombuffer(raw, np.uint8, offset=offset)


x_train = idx('train-images-idx3-ubyte.gz', 16).reshape(-1, 28, 28)
y_train = idx('train-labels-idx1-ubyte.gz', 8)
x_test = idx('test-images-idx3-ubyte.gz', 16).reshape(-1, 28, 28)
y_test = idx('test-labels-idx1-ubyte.gz', 8)


class Specialist(nn.Module):
    def __init__(self, width, classes):
        super().__init__()
        w = width
        chans = [(1, w), (w, w), (w, 2 * w), (2 * w, 2 * w), (2 * w, 4 * w)]
        self.convs = nn.ModuleList([nn.Conv2d(a, b, 3, padding=1) for a, b in chans])
        self.norms = nn.ModuleList([nn.BatchNorm2d(b) for _, b in chans])
        self.fc1 = nn.Linear(4 * w * 16, 256)
        self.fc2 = nn.Linear(256, classes)
        self.drop = nn.Dropout(0.3)

    def forward(self, x):
        c = lambda i, x: F.relu(self.norms[i](self.convs[i](x)))
        x = F.max_pool2d(c(1, c(0, x)), 2)  # 14x14
        x = F.max_pool2d(c(3, c(2, x)), 2)  # 7x7
        x = F.max_pool2d(c(4, x), 2, padding=1)  # 4x4
        return self.fc2(self.drop(F.relu(self.fc1(self.drop(x.flatten(1))))))


def subset(x, y, ids):
    keep = np.isin(y, ids)
    labels = np.array([ids.index(v) for v in y[keep]])
    return torch.tensor(x[keep], dtype=torch.float32).unsqueeze(1) / 255, torch.tensor(labels)


for group in args.groups.split(','):
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    ids = [CLASSES.index(c) for c in group]
    xtr, ltr = subset(x_train, y_train, ids)
    xte, lte = subset(x_test, y_test, ids)
    net = Specialist(args.width, len(ids))
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    steps = args.epochs * ((len(xtr) + 127) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=steps)
    t0 = time.time()
    for _ in range(args.epochs):
        net.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 128):
            b = perm[i:i + 128]
            dx, dy = np.random.randint(-2, 3, 2)
            x = torch.roll(xtr[b], (int(dy), int(dx)), (2, 3))
            loss = F.cross_entropy(net(x), ltr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    net.eval()
    with torch.no_grad():
        logp = torch.cat([F.log_softmax(net(xte[i:i + 512]), 1) for i in range(0, len(xte), 512)])
    prior_train = torch.tensor([(ltr == j).float().mean().item() for j in range(len(ids))])
    prior_test = torch.tensor([(lte == j).float().mean().item() for j in range(len(ids))])
    own = (logp.argmax(1) != lte).sum().item()
    test = ((logp + torch.log(prior_test / prior_train)).argmax(1) != lte).sum().item()
    print(f'{group}: specialist (width {args.width}, {args.epochs} epochs, seed {args.seed}) trained on {len(xtr)}, '
          f'{len(xte)} test samples: {own} errors ({test} with the test prior), {time.time() - t0:.0f} s', flush=True)
