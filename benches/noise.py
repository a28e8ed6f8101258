#!/usr/bin/env python3
"""Real-code noise bench: how often keyhook speaks up on code that holds no keys.

Scans third-party code that is on every developer machine and CI runner
without network access:
  - the crate sources cargo downloaded (~/.cargo/registry/src),
  - the Python standard library and site-packages (from sysconfig),
  - node_modules trees where present (the global npm lib dir, `npm root -g`).

Prints, from one run: megabytes scanned per tree, findings per rule, every
finding of the generic and assignment rules (and of any other rule) as
`path:line:col  rule  redacted` so a person can judge them, generic findings
per 50 MB, and keyhook's scan time next to a plain read of the same files
(`cat` of every file) as a ratio. keyhook only ever prints redacted values,
so neither does this script.

Usage: python3 benches/noise.py [--keyhook PATH] [--root DIR ...]
Builds the release binary first unless --keyhook is given. Nothing here is
asserted: noise is judged by reading the list.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import sysconfig
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Rules whose findings rest on keyhook's own judgement of a value rather than on
# a provider's key format: the ones that can be noisy on ordinary code.
JUDGED_PATTERNS = ("generic-assignment",)


def default_roots():
    """The third-party trees present here, outermost first, none inside another."""
    roots = []
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    roots.append(os.path.join(home, "registry", "src"))
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.append(paths[key])
    try:
        npm = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, timeout=30)
        if npm.returncode == 0 and npm.stdout.strip():
            roots.append(npm.stdout.strip())
    except (OSError, subprocess.TimeoutExpired):
        pass
    return dedupe(roots)


def dedupe(roots):
    """Existing directories, real paths, dropping any nested in another."""
    real = sorted({os.path.realpath(r) for r in roots if os.path.isdir(r)})
    out = []
    for r in real:
        if not any(r == o or r.startswith(o + os.sep) for o in out):
            out.append(r)
    return out


def tree_files(root):
    """Regular files under root (no symlinks, no .git), and their total size."""
    files, size = [], 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for name in sorted(filenames):
            p = os.path.join(dirpath, name)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if os.path.isfile(p) and not os.path.islink(p):
                files.append(p)
                size += st.st_size
    return files, size


def plain_read(files):
    """Seconds to read every file once, as `cat` would (warm cache, like keyhook's run)."""
    start = time.perf_counter()
    batch = 500
    for i in range(0, len(files), batch):
        subprocess.run(["cat", "--", *files[i : i + batch]], stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def locate(root, rel):
    """Absolute path of a reported file: keyhook reports paths relative to the
    repository holding `root` when there is one (pyenv is a git checkout)."""
    d = root
    while True:
        if os.path.exists(os.path.join(d, rel)):
            return os.path.join(d, rel)
        up = os.path.dirname(d)
        if up == d:
            return os.path.join(root, rel)
        d = up


def keyhook_scan(keyhook, root):
    """Seconds and the JSON report of `keyhook scan --all-files root`."""
    start = time.perf_counter()
    p = subprocess.run(
        [keyhook, "scan", "--all-files", "--format", "json", root],
        capture_output=True,
        text=True,
        cwd=root,
    )
    secs = time.perf_counter() - start
    if p.returncode not in (0, 1, 2) or not p.stdout.strip():
        sys.exit(f"noise: keyhook failed on {root} (exit {p.returncode}): {p.stderr.strip()[:300]}")
    return secs, json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keyhook", help="keyhook binary (default: build the release binary)")
    ap.add_argument("--root", action="append", help="tree to scan (repeatable; default: see above)")
    args = ap.parse_args()
    keyhook = os.path.abspath(args.keyhook) if args.keyhook else None
    if not keyhook:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
        keyhook = os.path.join(ROOT, "target", "release", "keyhook")
    roots = dedupe(args.root) if args.root else default_roots()

    per_rule = collections.Counter()
    judged, others = [], []
    total_mb = total_keyhook = total_read = 0.0
    for root in roots:
        files, size = tree_files(root)
        mb = size / 1e6
        # Read once before timing either side so both see a warm page cache.
        plain_read(files)
        read_s = plain_read(files)
        scan_s, doc = keyhook_scan(keyhook, root)
        total_mb += mb
        total_keyhook += scan_s
        total_read += read_s
        ratio = scan_s / read_s if read_s else float("inf")
        print(
            f"{root}: {len(files)} files, {mb:.1f} MB, keyhook {scan_s:.2f}s, "
            f"cat {read_s:.2f}s ({ratio:.1f}x), {len(doc['findings'])} findings"
        )
        for f in doc["findings"]:
            per_rule[f["rule"]] += 1
            where = f"{locate(root, f['path'])}:{f['line']}:{f['column']}"
            row = f"  {where}  {f['rule']}  {f['redacted']}"
            (judged if f["pattern"] in JUDGED_PATTERNS else others).append(row)

    print(f"\ntotal: {total_mb:.1f} MB scanned")
    print(
        f"time: keyhook {total_keyhook:.2f}s, plain read {total_read:.2f}s, "
        f"ratio {total_keyhook / total_read if total_read else float('inf'):.1f}x"
    )
    print("\nfindings per rule:")
    for rule, n in sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:5d}  {rule}")
    per50 = len(judged) / total_mb * 50 if total_mb else 0.0
    print(f"\ngeneric and assignment findings: {len(judged)} ({per50:.2f} per 50 MB)")
    for row in judged:
        print(row)
    print(f"\nother findings: {len(others)}")
    for row in others:
        print(row)


if __name__ == "__main__":
    main()
