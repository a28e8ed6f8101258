//! keyhook's entries in the agents' settings files: which file, which events,
//! and adding or removing exactly those entries with [`jsonc`]'s byte-range
//! edits, so a settings file that hook managers, plugins and people also
//! edit keeps everything else byte for byte. An entry is keyhook's when its
//! command runs `keyhook agent`; nothing else is ever touched.

use super::jsonc::{self, Node, J};
use super::Agent;
use anyhow::{anyhow, Context, Result};
use std::path::{Path, PathBuf};

/// What marks a hook command as keyhook's.
pub const MARKER: &str = "keyhook agent ";

/// The command an agent runs. `|| exit 2` keeps it failing closed when the
/// binary is missing from the agent's PATH (the shell's 127 would let the
/// action through).
pub fn command(agent: Agent) -> String {
    format!("keyhook agent {} || exit 2", agent.name())
}

/// The settings file of `agent` under `base` (a project root or the home
/// directory), and the directory whose presence says the agent is used.
pub fn location(agent: Agent, base: &Path) -> (PathBuf, PathBuf) {
    let dir = base.join(match agent {
        Agent::Claude => ".claude",
        Agent::Cursor => ".cursor",
        Agent::Gemini => ".gemini",
    });
    let file = dir.join(match agent {
        Agent::Cursor => "hooks.json",
        _ => "settings.json",
    });
    (file, dir)
}

/// keyhook's entries: (event, entry) pairs, in the order they are added.
fn entries(agent: Agent) -> Vec<(&'static str, J)> {
    let cmd = || J::Str(command(agent));
    let hook = |named: bool| {
        let mut m = vec![("type", J::Str("command".into()))];
        if named {
            m.push(("name", J::Str("keyhook".into())));
        }
        m.push(("command", cmd()));
        J::Arr(vec![J::Obj(m)])
    };
    let group = |matcher: Option<&str>, named: bool| {
        let mut m = Vec::new();
        if let Some(x) = matcher {
            m.push(("matcher", J::Str(x.into())));
        }
        m.push(("hooks", hook(named)));
        J::Obj(m)
    };
    // Cursor's entries are flat; `failClosed` asks it to block when the hook
    // itself fails (crash, timeout), as keyhook does for its own errors.
    let flat = || J::Obj(vec![("command", cmd()), ("failClosed", J::Bool(true))]);
    match agent {
        Agent::Claude => vec![
            ("UserPromptSubmit", group(None, false)),
            (
                "PreToolUse",
                group(
                    Some("^(Write|Edit|MultiEdit|NotebookEdit|Bash|mcp__.*)$"),
                    false,
                ),
            ),
        ],
        Agent::Cursor => vec![
            ("beforeSubmitPrompt", flat()),
            ("beforeShellExecution", flat()),
            // Cursor's generic tool hook is the only one that runs before a
            // file edit (afterFileEdit runs after it, too late to refuse).
            ("preToolUse", flat()),
            // An MCP tool call's arguments go to the server: a key in them
            // leaks there and into the transcript.
            ("beforeMCPExecution", flat()),
        ],
        Agent::Gemini => vec![
            ("BeforeAgent", group(None, true)),
            (
                "BeforeTool",
                group(
                    Some("^(write_file|replace|run_shell_command|mcp__.*)$"),
                    true,
                ),
            ),
        ],
    }
}

/// What a file starts as when it does not exist.
fn empty_file(agent: Agent) -> &'static str {
    match agent {
        Agent::Cursor => "{\n  \"version\": 1,\n  \"hooks\": {}\n}\n",
        _ => "{\n  \"hooks\": {}\n}\n",
    }
}

fn parse_at(path: &Path, text: &str) -> Result<Node> {
    jsonc::parse(text).map_err(|e| {
        anyhow!(
            "{}:{e} (fix the file by hand; keyhook does not rewrite a file it cannot parse)",
            path.display()
        )
    })
}

/// Whether `node` (a hook entry, or a group of them) runs keyhook.
fn is_keyhook(node: &Node) -> bool {
    node.get("command")
        .and_then(Node::as_str)
        .is_some_and(|c| c.contains(MARKER))
}

/// The entries of `event` that are keyhook's, or groups holding one.
fn has_entry(root: &Node, event: &str) -> bool {
    let Some(Node::Array { items, .. }) = root.get("hooks").and_then(|h| h.get(event)) else {
        return false;
    };
    items.iter().any(|i| {
        is_keyhook(i)
            || matches!(i.get("hooks"), Some(Node::Array { items, .. }) if items.iter().any(is_keyhook))
    })
}

/// The state of one agent's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Every keyhook entry is there.
    Installed,
    /// Some are (names the missing events).
    Partial(Vec<&'static str>),
    /// None are.
    Missing,
}

/// Reads the state of `agent`'s file at `path`.
pub fn state(agent: Agent, path: &Path) -> Result<State> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::Missing),
        Err(e) => return Err(e).with_context(|| format!("{}: cannot read", path.display())),
    };
    let root = parse_at(path, &text)?;
    let missing: Vec<&'static str> = entries(agent)
        .into_iter()
        .map(|(ev, _)| ev)
        .filter(|ev| !has_entry(&root, ev))
        .collect();
    Ok(if missing.is_empty() {
        State::Installed
    } else if missing.len() == entries(agent).len() {
        State::Missing
    } else {
        State::Partial(missing)
    })
}

/// The text of `agent`'s file with keyhook's entries added (`None`: already there).
pub fn add(agent: Agent, path: &Path, current: Option<&str>) -> Result<Option<String>> {
    let mut text = current.unwrap_or(empty_file(agent)).to_string();
    let mut changed = current.is_none();
    let root = parse_at(path, &text)?;
    if !matches!(root, Node::Object { .. }) {
        anyhow::bail!("{}:1: the top level is not a JSON object", path.display());
    }
    for (event, entry) in entries(agent) {
        let root = parse_at(path, &text)?;
        if has_entry(&root, event) {
            continue;
        }
        let unit = jsonc::indent_unit(&text);
        match root.get("hooks") {
            None => {
                let member = format!(
                    "\"hooks\": {}",
                    jsonc::render(&J::Obj(vec![(event, J::Arr(vec![entry]))]), &unit, "")
                );
                text = jsonc::append(&text, &root, &member);
            }
            Some(hooks @ Node::Object { .. }) => match hooks.get(event) {
                None => {
                    let member = format!(
                        "\"{event}\": {}",
                        jsonc::render(&J::Arr(vec![entry]), &unit, "")
                    );
                    text = jsonc::append(&text, hooks, &member);
                }
                Some(arr @ Node::Array { .. }) => {
                    text = jsonc::append(&text, arr, &jsonc::render(&entry, &unit, ""));
                }
                Some(other) => anyhow::bail!(
                    "{}:{}: hooks.{event} is not an array (fix the file by hand)",
                    path.display(),
                    jsonc::line_of(&text, other.span().start)
                ),
            },
            Some(other) => anyhow::bail!(
                "{}:{}: `hooks` is not an object (fix the file by hand)",
                path.display(),
                jsonc::line_of(&text, other.span().start)
            ),
        }
        changed = true;
    }
    // What was written must still parse, and now hold every entry.
    let root = parse_at(path, &text)?;
    debug_assert!(entries(agent).iter().all(|(ev, _)| has_entry(&root, ev)));
    Ok(changed.then_some(text))
}

/// The text of the file with keyhook's entries removed (`None`: there were
/// none). Removing the last entry of an event removes the event, and an
/// empty `hooks` object goes too, so install then uninstall gives back the
/// original bytes. `Some("")` means the file held nothing but keyhook's
/// entries and should be deleted.
pub fn remove(agent: Agent, path: &Path, current: &str) -> Result<Option<String>> {
    let mut text = current.to_string();
    let mut changed = false;
    // Each pass removes one thing and re-parses; the loop ends because every
    // pass makes the text shorter.
    loop {
        let root = parse_at(path, &text)?;
        let Some(next) = next_removal(&text, &root) else {
            break;
        };
        text = next;
        changed = true;
    }
    if !changed {
        return Ok(None);
    }
    let root = parse_at(path, &text)?;
    if let Node::Object { members, .. } = &root {
        let only_ours = members.iter().all(|m| match m.key.as_str() {
            "hooks" => matches!(&m.value, Node::Object { members, .. } if members.is_empty()),
            "version" => agent == Agent::Cursor,
            _ => false,
        });
        if only_ours {
            return Ok(Some(String::new()));
        }
    }
    Ok(Some(text))
}

/// One removal step: a keyhook entry, a group left empty by one, an event
/// left empty, or a `hooks` object left empty.
fn next_removal(text: &str, root: &Node) -> Option<String> {
    let hooks = root.get("hooks")?;
    let Node::Object { members, .. } = hooks else {
        return None;
    };
    for (mi, m) in members.iter().enumerate() {
        let Node::Array { items, .. } = &m.value else {
            continue;
        };
        for (ii, item) in items.iter().enumerate() {
            if is_keyhook(item) {
                return Some(jsonc::remove(text, &m.value, ii));
            }
            if let Some(inner @ Node::Array { items: hs, .. }) = item.get("hooks") {
                if let Some(hi) = hs.iter().position(is_keyhook) {
                    if hs.len() == 1 {
                        return Some(jsonc::remove(text, &m.value, ii));
                    }
                    return Some(jsonc::remove(text, inner, hi));
                }
            }
        }
        if items.is_empty() && touched_event(m.key.as_str()) {
            return Some(jsonc::remove(text, hooks, mi));
        }
    }
    if members.is_empty() {
        if let Node::Object { members: top, .. } = root {
            let hi = top.iter().position(|m| m.key == "hooks")?;
            // Keep the Cursor skeleton's `hooks` when `version` stays.
            if top.len() > 1 && !top.iter().all(|m| m.key == "hooks" || m.key == "version") {
                return Some(jsonc::remove(text, root, hi));
            }
        }
    }
    None
}

/// Events keyhook adds entries to: only these are removed when left empty.
fn touched_event(event: &str) -> bool {
    Agent::ALL
        .iter()
        .any(|a| entries(*a).iter().any(|(ev, _)| *ev == event))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_other_hooks_byte_for_byte() {
        let p = Path::new("settings.json");
        let original = "{\n  \"model\": \"opus\",\n  \"hooks\": {\n    \"PreToolUse\": [\n      {\n        \"matcher\": \"Bash\",\n        \"hooks\": [\n          {\n            \"type\": \"command\",\n            \"command\": \"lint.sh\"\n          }\n        ]\n      }\n    ]\n  }\n}\n";
        let added = add(Agent::Claude, p, Some(original)).unwrap().unwrap();
        assert!(added.contains("lint.sh"));
        assert_eq!(state(Agent::Claude, p).unwrap(), State::Missing);
        assert_eq!(
            add(Agent::Claude, p, Some(&added)).unwrap(),
            None,
            "idempotent"
        );
        let back = remove(Agent::Claude, p, &added).unwrap().unwrap();
        assert_eq!(back, original);
    }

    #[test]
    fn a_file_keyhook_created_is_deleted_on_uninstall() {
        let p = Path::new("hooks.json");
        for agent in Agent::ALL {
            let added = add(agent, p, None).unwrap().unwrap();
            assert_eq!(remove(agent, p, &added).unwrap().as_deref(), Some(""));
        }
    }

    #[test]
    fn a_file_that_does_not_parse_is_left_alone() {
        let e = add(
            Agent::Gemini,
            Path::new("s.json"),
            Some("{\n  \"a\": 1,\n  oops\n}"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("s.json:3: "), "{e}");
    }
}
