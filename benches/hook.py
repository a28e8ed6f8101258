#!/usr/bin/env python3
"""Benchmark `keyhook pre-commit` against `git diff --cached` on the same repository.

Prints, from one run:
  (a) a typical commit (20 files, ~500 added lines): whole-process time of
      keyhook next to `git diff --cached --no-color >/dev/null`, and the ratio;
  (c) the same kind of commit in a 20,000-file repository (packed, 1,000
      directories), where skipping unchanged directories matters;
  (b) ~50 MB of text staged at once: throughput of both, the ratio, and
      keyhook's peak memory.

The staged content is real source text: the crate sources cargo downloaded to
build keyhook (~/.cargo/registry/src), so keyword density is that of real code.

Usage: python3 benches/hook.py [--keyhook PATH] [--runs N] [--mb 50] [--big-files 20000]
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
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SOURCE_EXT = (".rs", ".c", ".h", ".md", ".toml", ".json", ".py", ".js", ".txt", ".yml", ".yaml")


def real_sources():
    """Real text files, in a stable order, from cargo's registry sources."""
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    base = os.path.join(home, "registry", "src")
    out = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(SOURCE_EXT):
                p = os.path.join(dirpath, name)
                with open(p, "rb") as f:
                    head = f.read(8000)
                if b"\0" not in head:
                    out.append(p)
    if not out:
        sys.exit(f"no sources under {base}: build keyhook first (cargo build) so cargo fetches them")
    return out


def lines_of(path):
    with open(path, "rb") as f:
        return f.read().split(b"\n")


def git(repo, *args, stdout=subprocess.DEVNULL):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=repo + "/.home")
    subprocess.run(["git", *args], cwd=repo, check=True, stdout=stdout, env=env)


def make_repo():
    repo = tempfile.mkdtemp(prefix="keyhook-bench-")
    os.makedirs(repo + "/.home")
    with open(repo + "/.home/.gitconfig", "w") as f:
        # No automatic gc in the background: it would race the explicit one.
        f.write("[user]\n\tname = Bench\n\temail = bench@example.com\n[gc]\n\tauto = 0\n")
    git(repo, "init", "-q", "-b", "main")
    return repo


def put(repo, rel, data):
    path = os.path.join(repo, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def run_timed(cmd, cwd):
    """Wall time and peak RSS (KiB) of one child process."""
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=cwd + "/.home")
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    return dt, usage.ru_maxrss, code


def compare(repo, keyhook, runs):
    git_cmd = ["git", "diff", "--cached", "--no-color"]
    kh_cmd = [keyhook, "pre-commit"]
    # Warm the page cache and both binaries, then alternate runs so drift hits both.
    for _ in range(2):
        run_timed(git_cmd, repo)
        run_timed(kh_cmd, repo)
    g, k, rss, codes = [], [], 0, set()
    for _ in range(runs):
        g.append(run_timed(git_cmd, repo)[0])
        dt, mem, code = run_timed(kh_cmd, repo)
        k.append(dt)
        rss = max(rss, mem)
        codes.add(code)
    return statistics.median(g), statistics.median(k), rss, codes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keyhook")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--big-files", type=int, default=20000)
    args = ap.parse_args()
    keyhook = os.path.abspath(args.keyhook) if args.keyhook else None
    if not keyhook:
        subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
        keyhook = os.path.join(ROOT, "target", "release", "keyhook")
    sources = real_sources()
    rng = random.Random(20261123)
    rng.shuffle(sources)

    # (a) a typical commit: 20 files, ~500 added lines, on a repo with history.
    repo = make_repo()
    base = [s for s in sources if 100 < len(lines_of(s)) < 2000][:200]
    for i, src in enumerate(base):
        put(repo, f"src/m{i % 20}/{i}_{os.path.basename(src)}", b"\n".join(lines_of(src)))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    for i, src in enumerate(base[:10]):
        put(repo, f"src/new/{i}_{os.path.basename(src)}", b"\n".join(lines_of(base[-1 - i])[:25]) + b"\n")
        path = os.path.join(repo, f"src/m{i % 20}/{i}_{os.path.basename(src)}")
        with open(path, "ab") as f:
            f.write(b"\n" + b"\n".join(lines_of(base[-20 - i])[:25]) + b"\n")
    git(repo, "add", "-A")
    out = subprocess.run(["git", "diff", "--cached", "--numstat"], cwd=repo, capture_output=True, text=True).stdout
    added = sum(int(l.split()[0]) for l in out.splitlines())
    files = len(out.splitlines())
    g, k, rss, codes = compare(repo, keyhook, args.runs)
    print(f"(a) typical commit: {files} files, {added} added lines, median of {args.runs} runs")
    print(f"    git diff --cached --no-color   {g * 1000:8.2f} ms")
    print(f"    keyhook pre-commit             {k * 1000:8.2f} ms   exit {sorted(codes)}")
    print(f"    ratio keyhook / git            {k / g:8.2f}x")
    shutil.rmtree(repo)

    # (c) the same kind of commit in a large repository: 20,000 tracked files
    # in 1,000 directories, packed, as a long-lived project has them. What git
    # skips here (unchanged directories, through the index's cache-tree) a
    # scanner must skip too.
    repo = make_repo()
    pool = [s for s in sources if 20 < len(lines_of(s)) < 400][:2000]
    for i in range(args.big_files):
        src = pool[i % len(pool)]
        put(repo, f"pkg{i % 40}/sub{(i // 40) % 25}/f{i}_{os.path.basename(src)}",
            open(src, "rb").read() + b"\n// %d\n" % i)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "gc", "-q")
    for i in range(10):
        src = pool[-1 - i]
        put(repo, f"pkg{i}/new/{i}_{os.path.basename(src)}", b"\n".join(lines_of(src)[:25]) + b"\n")
        rel = f"pkg{i % 40}/sub{(i // 40) % 25}/f{i}_{os.path.basename(pool[i % len(pool)])}"
        with open(os.path.join(repo, rel), "ab") as f:
            f.write(b"\n".join(lines_of(pool[-20 - i])[:25]) + b"\n")
    git(repo, "add", "-A")
    out = subprocess.run(["git", "diff", "--cached", "--numstat"], cwd=repo, capture_output=True, text=True).stdout
    added = sum(int(l.split()[0]) for l in out.splitlines())
    g, k, rss, codes = compare(repo, keyhook, args.runs)
    print(f"(c) typical commit in a {args.big_files}-file repository: {len(out.splitlines())} files, {added} added lines, median of {args.runs} runs")
    print(f"    git diff --cached --no-color   {g * 1000:8.2f} ms")
    print(f"    keyhook pre-commit             {k * 1000:8.2f} ms   exit {sorted(codes)}")
    print(f"    ratio keyhook / git            {k / g:8.2f}x")
    shutil.rmtree(repo)

    # (b) ~N MB of text staged at once.
    repo = make_repo()
    total, i = 0, 0
    target = args.mb * 1024 * 1024
    while total < target:
        src = sources[i % len(sources)]
        total += put(repo, f"bulk/d{i % 50}/{i}_{os.path.basename(src)}", open(src, "rb").read())
        i += 1
    git(repo, "add", "-A")
    runs = max(3, args.runs // 6)
    g, k, rss, codes = compare(repo, keyhook, runs)
    mb = total / (1024 * 1024)
    print(f"(b) {mb:.1f} MB staged at once in {i} files, median of {runs} runs")
    print(f"    git diff --cached --no-color   {g * 1000:8.1f} ms   {mb / g:8.1f} MB/s")
    print(f"    keyhook pre-commit             {k * 1000:8.1f} ms   {mb / k:8.1f} MB/s   exit {sorted(codes)}")
    print(f"    ratio keyhook / git            {k / g:8.2f}x")
    print(f"    keyhook peak memory            {rss / 1024:8.1f} MB")
    shutil.rmtree(repo)


if __name__ == "__main__":
    sys.exit(main())
