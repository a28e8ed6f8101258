#!/usr/bin/env bash
# History-scan throughput: `keyhook scan --history` against `git log -p --all`
# on the same repository (the target: keyhook is faster than git printing the
# history it reads), and keyhook's peak memory.
#
# Usage: benches/history.sh [REPO]
#   REPO  an existing repository; without it, a deterministic one with ~250 MB
#         of history is generated once into benches/data/ (git-ignored).
#
# "History MB" is the size of every blob in the repository: what both tools
# must inflate and diff. Each command runs once to warm the page cache, then
# three times; the best time counts.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cargo build --release --locked -q
bin=$root/target/release/keyhook

repo=${1:-}
if [ -z "$repo" ]; then
    repo=$root/benches/data/history-repo
    if [ ! -d "$repo/.git" ]; then
        echo "generating $repo ..." >&2
        rm -rf "$repo"
        mkdir -p "$(dirname "$repo")"
        python3 benches/gen_history.py "$repo"
    fi
fi
cd "$repo"

bytes=$(git cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
    awk '$1 == "blob" { s += $2 } END { print s }')
commits=$(git rev-list --all | wc -l)

now() { date +%s.%N; }
best() { # best-of-3 wall time of "$@", output discarded, exit status ignored
    "$@" >/dev/null 2>&1 || true
    local b=999999 s e t
    for _ in 1 2 3; do
        s=$(now); "$@" >/dev/null 2>&1 || true; e=$(now)
        t=$(echo "$e - $s" | bc -l)
        if (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
    done
    echo "$b"
}

t_git=$(best git log -p --all)
t_kh=$(best "$bin" scan --history)
log_mb=$(git log -p --all | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')

# Peak memory: /usr/bin/time -v where it exists, else the kernel's high-water mark.
if /usr/bin/time -v true >/dev/null 2>&1; then
    report=$(mktemp)
    /usr/bin/time -v -o "$report" "$bin" scan --history >/dev/null 2>&1 || true
    peak_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$report")
    rm -f "$report"
else
    peak_kb=$(python3 - "$bin" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "scan", "--history"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
)
fi
findings=$("$bin" scan --history --format json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["findings"])' || true)

mb=$(echo "$bytes / 1000000" | bc -l)
printf 'repository        %s\n' "$repo"
printf 'history           %.1f MB of blobs, %s commits (git log -p --all prints %s MB)\n' "$mb" "$commits" "$log_mb"
printf 'cores             %s\n' "$(nproc)"
printf 'git log -p --all  %6.2f s   %7.1f MB/s\n' "$t_git" "$(echo "$mb / $t_git" | bc -l)"
printf 'keyhook history   %6.2f s   %7.1f MB/s   (%s findings)\n' "$t_kh" "$(echo "$mb / $t_kh" | bc -l)" "$findings"
printf 'ratio             keyhook takes %.2fx the time of git log -p\n' "$(echo "$t_kh / $t_git" | bc -l)"
printf 'keyhook peak RSS  %.1f MB\n' "$(echo "$peak_kb / 1024" | bc -l)"
