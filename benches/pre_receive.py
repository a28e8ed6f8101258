#!/usr/bin/env python3
"""Benchmark `keyhook pre-receive` against `git log -p` of the same commits.

A bare "server" repository holds a base history; 50 new commits (real source
text: the crate sources cargo downloaded, ~/.cargo/registry/src) are fetched
into it without a ref, the way a push leaves them before the hook runs. Then
one run each, repeated --runs times, median reported:
  keyhook pre-receive   <base> <tip> refs/heads/main on stdin, in the bare repo
  git log -p base..tip  >/dev/null, in the same repo
and the ratio (target: at or under 1.0x). Speed is measured here, never
asserted in the test suite.

Usage: python3 benches/pre_receive.py [--keyhook PATH] [--commits 50] [--runs 5]
Builds the release binary first unless --keyhook is given.
"""

import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXT = (".rs", ".c", ".h", ".md", ".toml", ".json", ".py", ".js", ".txt")


def sources(limit=4000):
    base = os.path.join(os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo")), "registry", "src")
    out = []
    for d, dirs, files in os.walk(base):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(EXT):
                p = os.path.join(d, f)
                if 200 < os.path.getsize(p) < 200_000:
                    out.append(p)
                    if len(out) >= limit:
                        return out
    return out


def git(*args, cwd, env, stdin=None, out=subprocess.DEVNULL):
    return subprocess.run(["git", *args], cwd=cwd, env=env, input=stdin, stdout=out, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keyhook")
    ap.add_argument("--commits", type=int, default=50)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    keyhook = a.keyhook and os.path.abspath(a.keyhook)
    if not keyhook:
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
        keyhook = os.path.join(ROOT, "target", "release", "keyhook")
    files = sources()
    rnd = random.Random(13)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HOME=tmp, GIT_CONFIG_NOSYSTEM="1",
                   GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@e", GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@e")
        for k in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
            env.pop(k, None)
        work, srv = os.path.join(tmp, "work"), os.path.join(tmp, "srv.git")
        git("init", "-q", "-b", "main", work, cwd=tmp, env=env)
        git("init", "-q", "--bare", srv, cwd=tmp, env=env)

        def commit_some(n, msg):
            for p in rnd.sample(files, n):
                rel = os.path.relpath(p, os.path.dirname(os.path.dirname(p)))
                dest = os.path.join(work, "src", rel)
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                with open(p, "rb") as f:
                    data = f.read()
                if os.path.exists(dest):  # a modification: some lines added
                    with open(dest, "rb") as f:
                        data = f.read() + data[: len(data) // 4]
                with open(dest, "wb") as f:
                    f.write(data)
            git("add", "-A", cwd=work, env=env)
            git("commit", "-q", "--no-verify", "-m", msg, cwd=work, env=env)

        for i in range(20):
            commit_some(30, f"base {i}")
        git("push", "-q", srv, "main", cwd=work, env=env)
        base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, env=env, capture_output=True, text=True).stdout.strip()
        for i in range(a.commits):
            commit_some(8, f"new {i}")
        tip = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, env=env, capture_output=True, text=True).stdout.strip()
        # Objects in the server, no ref: as a push leaves them for the hook.
        git("fetch", "-q", work, "main:refs/bench/tmp", cwd=srv, env=env)
        git("update-ref", "-d", "refs/bench/tmp", cwd=srv, env=env)
        stdin = f"{base} {tip} refs/heads/main\n".encode()
        kenv = dict(env, GIT_DIR=".")

        def timed(cmd, cenv, inp=None):
            t = time.perf_counter()
            r = subprocess.run(cmd, cwd=srv, env=cenv, input=inp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            dt = time.perf_counter() - t
            if cmd[0] == keyhook and r.returncode not in (0, 1):
                raise SystemExit(f"keyhook failed: {r.stderr.decode()}")
            return dt

        ks, gs = [], []
        for _ in range(a.runs):
            ks.append(timed([keyhook, "pre-receive", "--deadline", "3600"], kenv, stdin))
            gs.append(timed(["git", "log", "-p", "--no-color", f"{base}..{tip}"], env))
        k, g = statistics.median(ks), statistics.median(gs)
        size = int(subprocess.run(["git", "log", "-p", f"{base}..{tip}"], cwd=srv, env=env, capture_output=True).stdout.__len__())
        print(f"pre-receive of {a.commits} new commits ({size / 1e6:.1f} MB of `git log -p`), median of {a.runs}:")
        print(f"  git log -p base..tip   {g * 1000:8.1f} ms")
        print(f"  keyhook pre-receive    {k * 1000:8.1f} ms")
        print(f"  ratio                  {k / g:8.2f}x")


if __name__ == "__main__":
    main()
