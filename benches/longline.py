#!/usr/bin/env python3
"""Benchmark `keyhook pre-commit` on one very long line (issue 10, part 3).

Prints, from one run, for each shape staged alone in a fresh repository:
  1 MB of ordinary source text (many lines: the yardstick),
  1 MB of `password=` repeated on one line,
  1 MB of minified JSON with secret-named keys on one line,
  1 MB of a minified JS bundle with `password:`/`token:`/`apiKey:` keys;
keyhook's median time, `git diff --cached --no-color` on the same repository,
and keyhook's time as a ratio to its time on the ordinary text (target: 3x); then
keyhook's fastest run and the same ratio of fastest runs, which a shared machine's
noise moves less than the medians.

Usage: python3 benches/longline.py [--keyhook PATH] [--runs N] [--kb 1024]
Builds the release binary first unless --keyhook is given. Speed is measured
here, never asserted in the test suite.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hook import ROOT, git, make_repo, put, run_timed  # noqa: E402


def ordinary(n, rng):
    words = b"let mut value = compute(index, offset); if value > limit { return Err(error); } self.items.push(item);".split()
    out, size = [], 0
    while size < n:
        line = b"    " + b" ".join(rng.choice(words) for _ in range(9))
        out.append(line)
        size += len(line) + 1
    return b"\n".join(out) + b"\n"


def repeated(n, _rng):
    unit = b"password="
    return (unit * (n // len(unit) + 1))[:n] + b"\n"


def json_line(n, rng):
    stand_ins = [b"changeme", b"${DB_PASSWORD}", b"<your-token>", b"xxxxxxxx", b"REDACTED", b"", b"process.env.TOKEN"]
    keys = [b"secret", b"password", b"token", b"apiKey", b"clientSecret"]
    out, size, i = [b"["], 1, 0
    while size < n:
        item = b'{"id":%d,"%s":"%s","name":"item %d"},' % (i, keys[i % len(keys)], stand_ins[i % len(stand_ins)], i)
        out.append(item)
        size += len(item)
        i += 1
    return b"".join(out) + b"{}]\n"


def js_bundle(n, _rng):
    out, size, i = [], 0, 0
    while size < n:
        piece = (
            b'var a%d={password:e.password||"",token:t.token,apiKey:process.env.API_KEY,'
            b'url:"/api/v1/items/%d"};function f%d(t){return t.apiKey?t.token:null}' % (i, i, i)
        )
        out.append(piece)
        size += len(piece)
        i += 1
    return b"".join(out) + b"\n"


SHAPES = [
    ("ordinary source text (yardstick)", "src/lib.rs", ordinary),
    ("`password=` repeated, one line", "conf/app.cfg", repeated),
    ("minified JSON, secret-named keys", "data/items.json", json_line),
    ("minified JS bundle", "dist/app.min.js", js_bundle),
]


def compare(repo, keyhook, runs):
    git_cmd = ["git", "diff", "--cached", "--no-color"]
    kh_cmd = [keyhook, "pre-commit"]
    run_timed(git_cmd, repo)
    run_timed(kh_cmd, repo)
    g, k, codes = [], [], set()
    for _ in range(runs):
        g.append(run_timed(git_cmd, repo)[0])
        dt, _, code = run_timed(kh_cmd, repo)
        k.append(dt)
        codes.add(code)
    return statistics.median(g), statistics.median(k), min(k), codes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keyhook")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kb", type=int, default=1024)
    args = ap.parse_args()
    keyhook = os.path.abspath(args.keyhook) if args.keyhook else None
    if not keyhook:
        subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
        keyhook = os.path.join(ROOT, "target", "release", "keyhook")
    n = args.kb * 1024
    print(f"one staged file of {args.kb} KB per shape, median of {args.runs} runs")
    print(f"    {'shape':36} {'git diff':>10} {'keyhook':>11}  {'vs text':>8}   {'fastest':>9} {'vs text':>8}")
    yardstick = fastest = None
    for name, path, make in SHAPES:
        repo = make_repo()
        put(repo, path, make(n, random.Random(20261204)))
        git(repo, "add", "-A")
        g, k, low, codes = compare(repo, keyhook, args.runs)
        yardstick = yardstick or k
        fastest = fastest or low
        print(
            f"    {name:36} {g * 1000:7.1f} ms {k * 1000:8.1f} ms  {k / yardstick:7.2f}x"
            f"   {low * 1000:6.1f} ms {low / fastest:7.2f}x   exit {sorted(codes)}"
        )
        shutil.rmtree(repo)


if __name__ == "__main__":
    main()
