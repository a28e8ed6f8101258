//! Which shell commands switch keyhook's git hooks off. An agent whose commit
//! was blocked is documented retrying with `git commit --no-verify`; this module
//! splits a command line into simple commands the way a POSIX shell would
//! (quotes, escapes, `;` `&&` `||` `|` `&`, subshells, `$(...)`, backticks,
//! `sh -c` and `eval` strings) and judges each one by its words, so that
//! `git log -n 5` or `grep -- --no-verify` pass while `git commit -nm wip` does
//! not. Work is linear in the command's length (nested strings are re-split at
//! most [`MAX_DEPTH`] times).

mod split;

use split::{split, Simple};

/// How deep `sh -c '...'` and `eval` strings are followed.
pub const MAX_DEPTH: usize = 4;

/// One way a command switches keyhook off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bypass {
    /// What the command does, quoted for the model (`git commit --no-verify`).
    pub what: String,
}

/// Every bypass in `command`, in order.
pub fn bypasses(command: &str) -> Vec<Bypass> {
    let mut out = Vec::new();
    analyse(command, 0, &mut out);
    out
}

fn analyse(command: &str, depth: usize, out: &mut Vec<Bypass>) {
    let mut nested = Vec::new();
    for simple in split(command, &mut nested) {
        judge(&simple, depth, out);
    }
    if depth < MAX_DEPTH {
        for n in nested {
            analyse(&n, depth + 1, out);
        }
    }
}

/// Wrappers that run the rest of their words as a command.
const WRAPPERS: &[&str] = &[
    "sudo", "doas", "env", "command", "builtin", "exec", "nohup", "time", "nice", "ionice",
    "stdbuf", "xargs", "timeout", "then", "do", "else", "if", "while", "until", "!", "{",
];

fn judge(cmd: &Simple, depth: usize, out: &mut Vec<Bypass>) {
    for w in &cmd.writes {
        if is_hook_path(w) {
            out.push(bypass(format!("overwriting {w}")));
        }
    }
    let mut words = cmd.words.as_slice();
    loop {
        while let Some((name, value)) = words.first().and_then(|w| assignment(w)) {
            env_bypass(name, value, out);
            words = &words[1..];
        }
        let Some(first) = words.first() else { return };
        let name = basename(first);
        if !WRAPPERS.contains(&name) {
            break;
        }
        words = &words[1..];
        // The wrapper's own options (`sudo -u root`, `timeout 5`, `env -i`).
        while let Some(w) = words.first() {
            let numeric = name == "timeout" && w.chars().next().is_some_and(|c| c.is_ascii_digit());
            if w.starts_with('-') && w.len() > 1 || numeric {
                words = &words[1..];
            } else {
                break;
            }
        }
    }
    let name = basename(&words[0]);
    let args = &words[1..];
    match name {
        "git" => git(args, out),
        "export" | "declare" | "typeset" | "local" | "readonly" | "setenv" => {
            for a in args {
                if let Some((n, v)) = assignment(a) {
                    env_bypass(n, v, out);
                }
            }
        }
        "rm" | "unlink" | "shred" | "truncate" | "mv" | "rmdir" => {
            for a in args.iter().filter(|a| is_hook_path(a)) {
                out.push(bypass(format!("{name} {a}")));
            }
        }
        "cp" | "ln" | "install" | "tee" | "dd" => {
            let target = if name == "dd" {
                args.iter().find_map(|a| a.strip_prefix("of="))
            } else if name == "tee" {
                args.iter().map(String::as_str).find(|a| is_hook_path(a))
            } else {
                args.iter()
                    .map(String::as_str)
                    .rfind(|a| !a.starts_with('-'))
            };
            if let Some(t) = target.filter(|t| is_hook_path(t)) {
                out.push(bypass(format!("{name} ... {t}")));
            }
        }
        "chmod" => {
            let removes_exec = args.iter().any(|a| mode_removes_exec(a));
            if removes_exec {
                for a in args.iter().filter(|a| is_hook_path(a)) {
                    out.push(bypass(format!("chmod on {a}")));
                }
            }
        }
        "keyhook" if args.first().is_some_and(|a| a == "uninstall") => {
            out.push(bypass("keyhook uninstall".to_string()));
        }
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "fish" => {
            if let Some(pos) = args.iter().position(|a| is_c_flag(a)) {
                if let Some(script) = args.get(pos + 1) {
                    if depth < MAX_DEPTH {
                        analyse(script, depth + 1, out);
                    }
                }
            }
        }
        "eval" if depth < MAX_DEPTH => analyse(&args.join(" "), depth + 1, out),
        _ => {}
    }
}

/// `-c`, or a short-option cluster holding `c` (`bash -lc '...'`).
fn is_c_flag(a: &str) -> bool {
    a.len() > 1 && a.starts_with('-') && !a.starts_with("--") && a[1..].contains('c')
}

fn bypass(what: String) -> Bypass {
    Bypass { what }
}

/// `NAME=value` as (name, value).
fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() || first == '_')
        .then_some(())
        .filter(|()| chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(|()| (name, value))
}

/// Environment variables that turn hooks (or keyhook's hook) off.
fn env_bypass(name: &str, value: &str, out: &mut Vec<Bypass>) {
    let off = matches!(value.trim(), "0" | "false" | "off" | "no");
    let names_keyhook = || {
        value
            .split(',')
            .any(|id| id.trim().to_ascii_lowercase().contains("keyhook"))
    };
    let hit = match name {
        // husky (HUSKY=0) and lefthook (LEFTHOOK=0) skip every hook.
        "HUSKY" | "LEFTHOOK" => off,
        // pre-commit's SKIP and lefthook's exclusions name hooks to leave out.
        "SKIP" | "LEFTHOOK_EXCLUDE" => names_keyhook(),
        // git reads `-c` style configuration from the environment too.
        "GIT_CONFIG_PARAMETERS" => value.to_ascii_lowercase().contains("hookspath"),
        _ if name.starts_with("GIT_CONFIG_KEY_") => is_hooks_path_key(value),
        _ => false,
    };
    if hit {
        out.push(bypass(format!("{name}={value}")));
    }
}

fn basename(word: &str) -> &str {
    let base = word.rsplit(['/', '\\']).next().unwrap_or(word);
    base.strip_suffix(".exe").unwrap_or(base)
}

fn is_hooks_path_key(key: &str) -> bool {
    key.trim().eq_ignore_ascii_case("core.hooksPath")
}

/// A git hook file or directory keyhook installs into (`.git/hooks/...`,
/// `.husky/pre-commit`, ...).
pub fn is_hook_path(path: &str) -> bool {
    let p = path.replace('\\', "/");
    let p = p.trim_end_matches('/');
    let comps: Vec<&str> = p.split('/').collect();
    comps.windows(2).any(|w| w[0] == ".git" && w[1] == "hooks")
        || comps.windows(2).any(|w| {
            w[0] == ".husky"
                && (w[1] == "_" || w[1] == "pre-commit" || w[1] == "pre-push" || w[1] == "*")
        })
        || comps.last() == Some(&".husky")
}

/// A chmod mode that leaves a hook unexecutable: symbolic `-x` / `=` without
/// `x`, or an octal mode whose owner digit lacks the execute bit.
fn mode_removes_exec(mode: &str) -> bool {
    if mode.chars().all(|c| c.is_ascii_digit()) && !mode.is_empty() {
        let digits: Vec<u32> = mode.chars().filter_map(|c| c.to_digit(8)).collect();
        let owner = if digits.len() >= 3 {
            digits[digits.len() - 3]
        } else {
            0
        };
        return owner & 1 == 0;
    }
    let symbolic = mode.chars().all(|c| "ugoa+-=rwxXst,".contains(c));
    symbolic
        && mode.split(',').any(|clause| {
            (clause.contains('-') && clause.contains('x'))
                || (clause.contains('=') && !clause.contains('x'))
        })
}

/// `git [global options] <subcommand> ...`.
fn git(args: &[String], out: &mut Vec<Bypass>) {
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') {
        let a = args[i].as_str();
        if a == "-c" || a == "--config-env" {
            if let Some(kv) = args.get(i + 1) {
                config_kv(a, kv, out);
            }
            i += 2;
            continue;
        }
        if let Some(kv) = a.strip_prefix("--config-env=") {
            config_kv("--config-env", kv, out);
        } else if let Some(kv) = a.strip_prefix("-c").filter(|kv| !kv.is_empty()) {
            config_kv("-c", kv, out);
        } else if matches!(
            a,
            "-C" | "--git-dir" | "--work-tree" | "--namespace" | "--super-prefix" | "--exec-path"
        ) {
            i += 1;
        }
        i += 1;
    }
    let Some(sub) = args.get(i) else { return };
    let rest = &args[i + 1..];
    match sub.as_str() {
        "commit" if commit_skips_hooks(rest) => {
            out.push(bypass("git commit --no-verify (or -n)".to_string()));
        }
        "push" if long_flag_last(rest, "--no-verify", "--verify", "--no-veri", "--veri") => {
            out.push(bypass("git push --no-verify".to_string()));
        }
        "config" if config_writes_hooks_path(rest) => {
            out.push(bypass("git config core.hooksPath".to_string()));
        }
        _ => {}
    }
}

fn config_kv(flag: &str, kv: &str, out: &mut Vec<Bypass>) {
    let key = kv.split('=').next().unwrap_or(kv);
    if is_hooks_path_key(key) {
        out.push(bypass(format!("git {flag} {kv}")));
    }
}

/// Long options of `git commit` whose value is the next word when not attached.
const COMMIT_VALUE_OPTS: &[&str] = &[
    "--message",
    "--file",
    "--author",
    "--date",
    "--template",
    "--reuse-message",
    "--reedit-message",
    "--fixup",
    "--squash",
    "--cleanup",
    "--trailer",
    "--pathspec-from-file",
];

/// True when `git commit <args>` skips the pre-commit hook: `--no-verify`
/// (or an unambiguous prefix of it), or `n` in a short-option cluster before
/// any option that takes the rest of the cluster as its value. The last of
/// `--no-verify` / `--verify` wins, as in git.
fn commit_skips_hooks(args: &[String]) -> bool {
    let mut skip = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            if is_prefix_of(name, "no-verify", "no-veri") {
                skip = true;
            } else if is_prefix_of(name, "verify", "veri") {
                skip = false;
            } else if !long.contains('=')
                && COMMIT_VALUE_OPTS
                    .iter()
                    .any(|o| o.len() >= a.len() && o.starts_with(a) && a.len() > 4)
            {
                i += 1;
            }
        } else if a.len() > 1 && a.starts_with('-') {
            for (k, c) in a[1..].char_indices() {
                match c {
                    'n' => skip = true,
                    // Takes a value: the rest of the cluster, or the next word.
                    'm' | 'F' | 'C' | 'c' | 't' => {
                        if k + 2 == a.len() {
                            i += 1;
                        }
                        break;
                    }
                    // Optional attached value.
                    'S' | 'u' => break,
                    _ => {}
                }
            }
        }
        i += 1;
    }
    skip
}

/// `name` is a prefix of `full` at least as long as `min` (git accepts
/// unambiguous abbreviations of long options).
fn is_prefix_of(name: &str, full: &str, min: &str) -> bool {
    name.len() >= min.len() && full.starts_with(name)
}

/// Whether the last of the `on` / `off` long flags (or their prefixes) is `on`.
fn long_flag_last(args: &[String], on: &str, off: &str, on_min: &str, off_min: &str) -> bool {
    let mut state = false;
    for a in args {
        if a == "--" {
            break;
        }
        let name = a.split('=').next().unwrap_or(a);
        if name.starts_with("--") {
            if is_prefix_of(name, on, on_min) {
                state = true;
            } else if is_prefix_of(name, off, off_min) {
                state = false;
            }
        }
    }
    state
}

/// True when `git config <args>` sets, unsets or removes `core.hooksPath`
/// (reading it is fine).
fn config_writes_hooks_path(args: &[String]) -> bool {
    let mut positional: Vec<&str> = Vec::new();
    let mut read = false;
    let mut unset = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "--get" | "--get-all" | "--get-regexp" | "--get-urlmatch" | "-l" | "--list"
            | "--get-color" | "--get-colorbool" => read = true,
            "--unset" | "--unset-all" | "--remove-section" | "--rename-section" => unset = true,
            "-f" | "--file" | "--blob" | "--type" | "--default" | "--comment" | "--value" => i += 1,
            _ if a.starts_with('-') => {}
            _ => positional.push(a),
        }
        i += 1;
    }
    // The subcommand syntax of git 2.46+: `git config set|unset|get ...`.
    match positional.first().copied() {
        Some("get" | "list") => return false,
        Some("unset" | "remove-section" | "rename-section") => {
            unset = true;
            positional.remove(0);
        }
        Some("set") => {
            positional.remove(0);
        }
        _ => {}
    }
    let Some(key) = positional.first() else {
        return false;
    };
    if unset {
        return is_hooks_path_key(key) || key.eq_ignore_ascii_case("core");
    }
    !read && is_hooks_path_key(key) && positional.len() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(cmd: &str) -> bool {
        !bypasses(cmd).is_empty()
    }

    #[test]
    fn refuses_each_bypass() {
        for cmd in [
            "git commit --no-verify -m wip",
            "git commit -n -m wip",
            "git commit -nm wip",
            "git commit -anm 'wip'",
            "git commit --no-veri -m x",
            "git push --no-verify origin main",
            "git -c core.hooksPath=/dev/null commit -m x",
            "git -c core.hookspath=/dev/null commit -m x",
            "git -c core.hooksPath commit -m x",
            "git --config-env=core.hooksPath=X commit",
            "git config core.hooksPath /tmp/nothing",
            "git config --global core.hooksPath /tmp/x",
            "git config --unset core.hooksPath",
            "git config set core.hooksPath x",
            "HUSKY=0 git commit -m x",
            "export HUSKY=0",
            "env HUSKY=0 git commit -m x",
            "SKIP=keyhook git commit -m x",
            "SKIP=flake8,keyhook-pre-push git push",
            "LEFTHOOK=0 git commit -m x",
            "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/dev/null git commit",
            "rm .git/hooks/pre-commit",
            "rm -rf .git/hooks",
            "rm -f ./.husky/pre-commit",
            "chmod -x .git/hooks/pre-push",
            "chmod 644 .git/hooks/pre-commit",
            "chmod a-x .git/hooks/pre-commit",
            "mv .git/hooks/pre-commit /tmp/",
            "ln -sf /dev/null .git/hooks/pre-commit",
            ": > .git/hooks/pre-commit",
            "echo exit 0 >> .git/hooks/pre-commit",
            "npm test && git commit --no-verify -m x",
            "npm test; git commit -n",
            "(cd sub && git commit -n -m x)",
            "echo $(git commit --no-verify)",
            "echo \"$(git commit --no-verify)\"",
            "bash -c 'git commit --no-verify -m x'",
            "sh -lc \"git push --no-verify\"",
            "eval git commit --no-verify",
            "sudo git commit -n",
            "/usr/bin/git commit -n",
            "git -C repo commit --no-verify",
            "keyhook uninstall",
            "true | git commit -n",
        ] {
            assert!(refused(cmd), "not refused: {cmd}");
        }
    }

    #[test]
    fn allows_the_near_misses() {
        for cmd in [
            "git log -n 5",
            "git commit -m 'skip --no-verify next time'",
            "git commit -m --no-verify",
            "git commit -am wip",
            "git commit -mn",
            "git commit -F notes.txt",
            "git commit -- --no-verify",
            "git commit --no-verify --verify -m x",
            "git push -n origin main",
            "git push --dry-run",
            "grep -- --no-verify docs/*.md",
            "grep -rn 'git commit --no-verify' .",
            "echo git commit --no-verify",
            "git config core.hooksPath",
            "git config --get core.hooksPath",
            "git config get core.hooksPath",
            "git config user.name me",
            "HUSKY=1 git commit -m x",
            "SKIP=flake8 git commit -m x",
            "chmod +x .git/hooks/pre-commit",
            "chmod 755 .git/hooks/pre-commit",
            "cat .git/hooks/pre-commit",
            "ls .git/hooks",
            "rm -rf node_modules",
            "git status 2>&1 | head",
            "git diff > .git/hooks-notes.txt",
            "keyhook install",
            "npm run commit -- -n",
            "# git commit --no-verify",
        ] {
            assert!(!refused(cmd), "refused: {cmd}: {:?}", bypasses(cmd));
        }
    }

    #[test]
    fn splits_quotes_and_operators() {
        let mut n = Vec::new();
        let cmds = split("a 'b c' \"d $x\" && e\\ f | g; h", &mut n);
        let words: Vec<Vec<String>> = cmds.into_iter().map(|c| c.words).collect();
        assert_eq!(
            words,
            vec![
                vec!["a".to_string(), "b c".into(), "d $x".into()],
                vec!["e f".to_string()],
                vec!["g".to_string()],
                vec!["h".to_string()],
            ]
        );
    }
}
