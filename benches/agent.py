#!/usr/bin/env python3
"""Benchmark `keyhook agent` against `cat` of the same input.

The agents run their hooks synchronously on every prompt and tool call, so
the whole process time is what a user feels. Prints, from one run, the median
wall time of `keyhook agent claude < event` next to `cat < event >/dev/null`
and the difference, for:
  (a) a 2 KB prompt (UserPromptSubmit),
  (b) a 2 KB shell command (PreToolUse Bash),
  (c) a 1 MB file write (PreToolUse Write, new file) of real source text,
  (d) the same 1 MB write over an existing file with one line changed.
Targets (issue 12): median under 10 ms for (a), (b); under 50 ms for (c), (d).

Usage: python3 benches/agent.py [--keyhook PATH] [--runs N]
Builds the release binary first unless --keyhook is given. Speed is measured
here, never asserted in the test suite.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def real_text(size):
    """About `size` bytes of real source text from cargo's registry sources."""
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    base = os.path.join(home, "registry", "src")
    out, total = [], 0
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for f in sorted(filenames):
            if not f.endswith(".rs"):
                continue
            try:
                with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                    t = fh.read()
            except (OSError, UnicodeDecodeError):
                continue
            out.append(t)
            total += len(t)
            if total >= size:
                return "".join(out)[:size]
    return "".join(out)[:size]


def median_ms(cmd, data, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(cmd, input=data, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
        assert p.returncode in (0, 2), p.returncode
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keyhook")
    ap.add_argument("--runs", type=int, default=30)
    a = ap.parse_args()
    kh = a.keyhook
    if not kh:
        subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
        kh = os.path.join(ROOT, "target", "release", "keyhook")
    with tempfile.TemporaryDirectory() as repo:
        subprocess.run(["git", "init", "-q", repo], check=True)
        base = {"session_id": "bench", "transcript_path": repo + "/t.jsonl", "cwd": repo}
        prose = real_text(4096)
        prompt = dict(base, hook_event_name="UserPromptSubmit", prompt=prose[:1800])
        shell = dict(base, hook_event_name="PreToolUse", tool_name="Bash",
                     tool_input={"command": "cargo test && " + prose[:1800].replace("\n", " ")})
        big = real_text(1 << 20)
        path = os.path.join(repo, "src", "big.rs")
        write_new = dict(base, hook_event_name="PreToolUse", tool_name="Write",
                         tool_input={"file_path": path, "content": big})
        cases = [
            ("2 KB prompt", prompt, None),
            ("2 KB shell command", shell, None),
            ("1 MB write, new file", write_new, None),
            ("1 MB write, one line changed", write_new, big.replace("fn ", "fn  ", 1)),
        ]
        print(f"{'event':32} {'keyhook ms':>11} {'cat ms':>8} {'diff ms':>8} {'ratio':>7}")
        for name, event, on_disk in cases:
            if on_disk is not None:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as fh:
                    fh.write(on_disk)
            data = json.dumps(event).encode()
            k = median_ms([kh, "agent", "claude"], data, a.runs)
            c = median_ms(["cat"], data, a.runs)
            print(f"{name:32} {k:11.2f} {c:8.2f} {k - c:8.2f} {k / c:7.1f}x  ({len(data) / 1024:.0f} KiB event)")


if __name__ == "__main__":
    main()
