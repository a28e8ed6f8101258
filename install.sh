#!/bin/sh
# keyhook's one set-up command: build keyhook, install it on PATH (cargo's bin
# directory) and, when run inside a git repository, install its hooks there.
#
#   ./install.sh
#
# Prints each step; stops at the first failure with a message saying what to do.
set -eu

step() { printf '==> %s\n' "$*"; }
die() {
  printf 'install.sh: error: %s\n' "$*" >&2
  exit 1
}

# The keyhook checkout this script lives in (no dirname: keep to shell built-ins
# until cargo has been found).
case $0 in
  */*) src=$(cd "${0%/*}" && pwd) ;;
  *) src=$(pwd) ;;
esac

step "checking for cargo"
command -v cargo >/dev/null 2>&1 ||
  die "cargo is not on PATH (install the Rust toolchain from https://rustup.rs, open a new shell, then run ./install.sh again)"
[ -f "$src/Cargo.toml" ] ||
  die "$src/Cargo.toml not found (run install.sh from a keyhook checkout)"

step "building keyhook (release) and installing it: cargo install --path $src --locked --force"
cargo install --path "$src" --locked --force ||
  die "cargo install failed (see cargo's message above; a C compiler is needed for the bundled libgit2)"

bin_dir=${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin
keyhook=$bin_dir/keyhook
[ -x "$keyhook" ] || die "cargo reported success but $keyhook is missing (check CARGO_INSTALL_ROOT / CARGO_HOME)"
step "installed $keyhook ($("$keyhook" --version))"

case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) step "note: $bin_dir is not on PATH; add it in your shell profile, e.g. export PATH=\"$bin_dir:\$PATH\" (the hooks also look there)" ;;
esac

if top=$(git rev-parse --show-toplevel 2>/dev/null); then
  step "installing the hooks in $top: keyhook install"
  (cd "$top" && "$keyhook" install) || die "keyhook install failed in $top (see its message above)"
else
  step "not inside a git repository: run \`keyhook install\` in each repository you want to protect"
fi
step "done"
