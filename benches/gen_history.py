#!/usr/bin/env python3
"""Generates a repository with a long, realistic history for benches/history.sh.

Deterministic (fixed seed): the same arguments give the same commits. Several
hundred source files (Python, JavaScript, Rust, Markdown) evolve over a few
thousand commits; each commit edits a handful of files (changed, inserted and
deleted lines), every 150th commit merges a short side branch, and a few dozen
commits add a fake key (realistic formats, random bodies) that a later commit
removes. The stream goes through `git fast-import`, so generating ~250 MB of
history takes a minute, not an hour.

Usage: gen_history.py DEST [--commits N] [--files N]
"""
import argparse, os, random, subprocess, sys

WORDS = ("user account order item price total cache client server request response "
         "config value index buffer stream token handler router query record batch "
         "event queue worker task result error status payload header session field").split()
B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def ident(r):
    return "_".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))


def camel(r):
    w = [r.choice(WORDS) for _ in range(r.randint(1, 3))]
    return w[0] + "".join(x.title() for x in w[1:])


def line(r, kind):
    n = r.random()
    if kind == "py":
        if n < 0.15:
            return f"def {ident(r)}({ident(r)}, {ident(r)}=None):"
        if n < 0.35:
            return f"    # {' '.join(r.choice(WORDS) for _ in range(r.randint(4, 10)))}"
        if n < 0.7:
            return f"    {ident(r)} = {ident(r)}.get({ident(r)!r}, {r.randint(0, 999)})"
        return f"    return {ident(r)}({ident(r)}) + {r.randint(1, 99)}"
    if kind == "js":
        if n < 0.15:
            return f"export function {camel(r)}({camel(r)}, {camel(r)}) {{"
        if n < 0.35:
            return f"  // {' '.join(r.choice(WORDS) for _ in range(r.randint(4, 10)))}"
        if n < 0.7:
            return f"  const {camel(r)} = await {camel(r)}.{camel(r)}({camel(r)});"
        return "}"
    if kind == "rs":
        if n < 0.15:
            return f"pub fn {ident(r)}({ident(r)}: &{camel(r).title()}) -> Result<u64> {{"
        if n < 0.35:
            return f"    /// {' '.join(r.choice(WORDS) for _ in range(r.randint(4, 10)))}"
        if n < 0.7:
            return f"    let {ident(r)} = {ident(r)}.{ident(r)}()?;"
        return "}"
    return " ".join(r.choice(WORDS) for _ in range(r.randint(6, 16))) + "."


def fake_key(r):
    k = r.randrange(3)
    if k == 0:
        return "GITHUB_TOKEN=ghp_" + "".join(r.choice(B62) for _ in range(36))
    if k == 1:
        return ("OPENAI_API_KEY=sk-proj-" + "".join(r.choice(B62) for _ in range(40))  # keyhook:allow (generator)
                + "T3BlbkFJ" + "".join(r.choice(B62) for _ in range(40)))
    return "API_SECRET=" + "".join(r.choice(B62) for _ in range(24))  # keyhook:allow (generator)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dest")
    ap.add_argument("--commits", type=int, default=3000)
    ap.add_argument("--files", type=int, default=360)
    a = ap.parse_args()
    r = random.Random(20260101)
    kinds = ["py", "js", "rs", "md"]
    ext = {"py": "py", "js": "js", "rs": "rs", "md": "md"}
    files = {}
    for i in range(a.files):
        kind = kinds[i % 4]
        path = f"{r.choice(['src', 'lib', 'app', 'docs'])}/{ident(r)}_{i}.{ext[kind]}"
        files[path] = (kind, [line(r, kind) for _ in range(r.randint(250, 650))])
    subprocess.run(["git", "init", "-q", a.dest], check=True)
    fi = subprocess.Popen(["git", "-C", a.dest, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    out = fi.stdin
    mark = [0]
    when = [1_600_000_000]

    def data(b):
        out.write(b"data %d\n" % len(b))
        out.write(b)
        out.write(b"\n")

    def commit(ref, msg, changes, parents):
        mark[0] += 1
        when[0] += 600
        out.write(b"commit %s\nmark :%d\n" % (ref.encode(), mark[0]))
        who = b"Bench <bench@example.com> %d +0000\n" % when[0]
        out.write(b"author " + who + b"committer " + who)
        data(msg.encode())
        for i, p in enumerate(parents):
            out.write(b"%s :%d\n" % (b"from" if i == 0 else b"merge", p))
        for path, text in changes:
            if text is None:
                out.write(b"D %s\n" % path.encode())
            else:
                out.write(b"M 100644 inline %s\n" % path.encode())
                data(text.encode())
        return mark[0]

    def render(path):
        return "\n".join(files[path][1]) + "\n"

    head = commit("refs/heads/main", "initial import", [(p, render(p)) for p in files], [])
    leaks = []
    paths = sorted(files)
    for n in range(1, a.commits):
        touched = r.sample(paths, r.randint(2, 5))
        for p in touched:
            kind, lines = files[p]
            for _ in range(r.randint(1, 12)):
                op = r.random()
                at = r.randrange(len(lines))
                if op < 0.5:
                    lines[at] = line(r, kind)
                elif op < 0.85:
                    lines.insert(at, line(r, kind))
                elif len(lines) > 50:
                    del lines[at]
        changes = [(p, render(p)) for p in touched]
        if n % 97 == 0:
            leak = f"config/leak_{n}.env"
            leaks.append(leak)
            changes.append((leak, f"LOG_LEVEL=info\n{fake_key(r)}\n"))
        if n % 131 == 0 and leaks:
            changes.append((leaks.pop(0), None))
        if n % 150 == 0:
            side = commit("refs/heads/side", f"side work {n}", [(f"notes/side_{n}.md", render(paths[0]))], [head])
            head = commit("refs/heads/main", f"commit {n}: {ident(r)}", changes, [head, side])
        else:
            head = commit("refs/heads/main", f"commit {n}: {ident(r)}", changes, [head])
    out.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", a.dest, "checkout", "-q", "main"], check=True)


if __name__ == "__main__":
    main()
