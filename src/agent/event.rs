//! Reading one hook event from an agent's stdin JSON into the few shapes
//! keyhook judges: a prompt, a file write or edit, a shell command. Parsing is
//! tolerant (unknown fields are ignored, as the agents add fields often) but
//! strict where a wrong guess would let content through unjudged: a handled
//! event whose content field is missing or of the wrong type is an error,
//! which the caller turns into a refusal.

use super::Agent;
use anyhow::{anyhow, bail, Result};
use serde_json::Value;
use std::path::PathBuf;

/// A hook event, reduced to what keyhook judges.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The user submitted a prompt.
    Prompt {
        /// The prompt text.
        text: String,
    },
    /// The agent is about to write or edit a file.
    File(FileChange),
    /// The agent is about to run a shell command.
    Shell {
        /// The command line.
        command: String,
    },
    /// The agent is about to call an MCP tool: its arguments go to the
    /// server (and stay in the transcript), so a key in them is a leak.
    ToolArgs {
        /// The tool's name as the agent gives it.
        tool: String,
        /// The arguments as JSON text (pretty-printed when they parse).
        args: String,
    },
    /// An event or tool keyhook does not judge: allowed.
    Other,
}

/// What a file tool is about to do to one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileChange {
    /// Target path (absolute, or relative to the event's working directory).
    pub path: PathBuf,
    /// How the new content is made.
    pub op: FileOp,
}

/// How a file tool produces the new content.
#[derive(Debug, Clone, PartialEq)]
pub enum FileOp {
    /// The whole new content.
    Write(String),
    /// String replacements applied in order to the current content.
    Edit(Vec<Replace>),
    /// A fragment whose place in the file keyhook does not reconstruct (a
    /// notebook cell): judged on its own, every line counting as added.
    Fragment(String),
}

/// One `old_string` → `new_string` replacement.
#[derive(Debug, Clone, PartialEq)]
pub struct Replace {
    /// Text to find.
    pub old: String,
    /// Its replacement.
    pub new: String,
    /// Replace every occurrence instead of the first.
    pub all: bool,
}

/// Which hook point an event came from, for answering in the right shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// A prompt hook (Claude `UserPromptSubmit`, Cursor `beforeSubmitPrompt`,
    /// Gemini `BeforeAgent`).
    Prompt,
    /// A tool or shell hook.
    Tool,
    /// Anything else.
    Other,
}

/// A parsed event with its context.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The hook point.
    pub point: Point,
    /// The event.
    pub event: Event,
    /// The working directory the agent reports (relative paths resolve here).
    pub cwd: Option<PathBuf>,
}

/// Parses `input` as an event of `agent`.
pub fn parse(agent: Agent, input: &[u8]) -> Result<Parsed> {
    let v: Value = serde_json::from_slice(input)
        .map_err(|e| anyhow!("stdin:{}: the hook event is not valid JSON ({e})", e.line()))?;
    let Value::Object(obj) = &v else {
        bail!("stdin:1: the hook event is not a JSON object");
    };
    // No agent versions its events today; a version keyhook has not seen may
    // have moved the content somewhere this parser does not look.
    if let Some(ver) = obj.get("version") {
        if ver != &Value::from(1) {
            bail!("stdin:1: unknown hook event version {ver}");
        }
    }
    let name = str_field(&v, "hook_event_name")
        .ok_or_else(|| anyhow!("stdin:1: the hook event has no hook_event_name"))?;
    let cwd = match agent {
        Agent::Cursor => str_field(&v, "cwd")
            .or_else(|| v.get("workspace_roots")?.get(0)?.as_str())
            .map(PathBuf::from),
        _ => str_field(&v, "cwd").map(PathBuf::from),
    };
    let (point, event) = match (agent, name) {
        (Agent::Claude, "UserPromptSubmit")
        | (Agent::Cursor, "beforeSubmitPrompt")
        | (Agent::Gemini, "BeforeAgent") => (
            Point::Prompt,
            Event::Prompt {
                text: need_str(&v, "prompt", name)?,
            },
        ),
        (Agent::Claude, "PreToolUse")
        | (Agent::Gemini, "BeforeTool")
        | (Agent::Cursor, "preToolUse") => (Point::Tool, tool(agent, &v, name)?),
        (Agent::Cursor, "beforeShellExecution") => (
            Point::Tool,
            Event::Shell {
                command: need_str(&v, "command", name)?,
            },
        ),
        // Its top-level `command` is the MCP server's launch command (the
        // user's configuration), not something the model wrote: only the
        // tool's arguments are judged.
        (Agent::Cursor, "beforeMCPExecution") => (
            Point::Tool,
            Event::ToolArgs {
                tool: mcp_name(&v, name)?,
                args: args_text(v.get("tool_input"), name)?,
            },
        ),
        _ => (Point::Other, Event::Other),
    };
    Ok(Parsed { point, event, cwd })
}

fn str_field<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)?.as_str()
}

fn need_str(v: &Value, key: &str, event: &str) -> Result<String> {
    match v.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => bail!("stdin:1: {event}: `{key}` is not a string"),
        None => bail!("stdin:1: {event}: no `{key}` field"),
    }
}

/// The MCP tool of Cursor's `beforeMCPExecution`, with its server when given.
fn mcp_name(v: &Value, event: &str) -> Result<String> {
    let tool = need_str(v, "tool_name", event)?;
    Ok(match str_field(v, "mcp_server_name") {
        Some(server) => format!("{server}/{tool}"),
        None => tool,
    })
}

/// Whether `name` is an MCP tool in `agent`'s naming: `mcp__<server>__<tool>`
/// for Claude Code and Gemini CLI; Cursor's generic tool hook names the
/// MCP tool type `MCP` (`MCP:<server>:<tool>` in some versions).
fn is_mcp(agent: Agent, name: &str) -> bool {
    match agent {
        Agent::Cursor => name.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("mcp")),
        _ => name.starts_with("mcp__"),
    }
}

/// An MCP tool's arguments as text to judge: an object as pretty JSON (one
/// member a line, as in a JSON file), a JSON string (Cursor sends the
/// params as one) parsed first, a string that is not JSON as it is. No
/// arguments at all is an error: guessing "nothing to judge" could let
/// a changed payload through.
fn args_text(input: Option<&Value>, ctx: &str) -> Result<String> {
    let pretty = |v: &Value| serde_json::to_string_pretty(v).expect("a Value always serialises");
    match input {
        Some(Value::String(s)) => Ok(match serde_json::from_str::<Value>(s) {
            Ok(v) => pretty(&v),
            Err(_) => s.clone(),
        }),
        Some(v @ (Value::Object(_) | Value::Array(_))) => Ok(pretty(v)),
        Some(_) => bail!("stdin:1: {ctx}: `tool_input` is neither an object nor a string"),
        None => bail!("stdin:1: {ctx}: no `tool_input` field"),
    }
}

/// A tool call: which tool, and its input.
fn tool(agent: Agent, v: &Value, event: &str) -> Result<Event> {
    let name = need_str(v, "tool_name", event)?;
    if is_mcp(agent, &name) {
        let ctx = format!("{event} {name}");
        return Ok(Event::ToolArgs {
            args: args_text(v.get("tool_input"), &ctx)?,
            tool: name,
        });
    }
    let input = match v.get("tool_input") {
        Some(Value::Object(_)) => v.get("tool_input").expect("checked"),
        // A built-in tool whose input is not an object (MCP tools, whose
        // input may be a JSON string, are judged above): nothing to judge.
        _ => return Ok(Event::Other),
    };
    let ctx = format!("{event} {name}");
    let kind = match (agent, name.as_str()) {
        (Agent::Claude, "Write") | (Agent::Gemini, "write_file") => Kind::Write,
        (Agent::Claude, "Edit") | (Agent::Gemini, "replace") => Kind::Edit,
        (Agent::Claude, "MultiEdit") => Kind::MultiEdit,
        (Agent::Claude, "NotebookEdit") => Kind::Notebook,
        (Agent::Claude, "Bash") | (Agent::Gemini, "run_shell_command") => Kind::Shell,
        // Cursor's generic tool hook: its tool names are not settled in the
        // docs, so judge by the input's shape.
        (Agent::Cursor, _) => cursor_kind(input),
        _ => return Ok(Event::Other),
    };
    Ok(match kind {
        Kind::Shell => Event::Shell {
            command: need_str(input, "command", &ctx)?,
        },
        Kind::Write => Event::File(FileChange {
            path: file_path(input, &ctx)?,
            op: FileOp::Write(content(input, &ctx)?),
        }),
        Kind::Edit => Event::File(FileChange {
            path: file_path(input, &ctx)?,
            op: FileOp::Edit(vec![replace(agent, input, &ctx)?]),
        }),
        Kind::MultiEdit => {
            let edits = match input.get("edits") {
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|e| replace(agent, e, &ctx))
                    .collect::<Result<Vec<_>>>()?,
                _ => bail!("stdin:1: {ctx}: no `edits` array"),
            };
            Event::File(FileChange {
                path: file_path(input, &ctx)?,
                op: FileOp::Edit(edits),
            })
        }
        Kind::Notebook => Event::File(FileChange {
            path: PathBuf::from(need_str(input, "notebook_path", &ctx)?),
            // A deleted cell has no source: nothing is added.
            op: FileOp::Fragment(
                str_field(input, "new_source")
                    .unwrap_or_default()
                    .to_string(),
            ),
        }),
        Kind::None => Event::Other,
    })
}

enum Kind {
    Write,
    Edit,
    MultiEdit,
    Notebook,
    Shell,
    None,
}

fn cursor_kind(input: &Value) -> Kind {
    let has = |k: &str| input.get(k).is_some();
    if has("command") && !has("file_path") {
        Kind::Shell
    } else if has("file_path") && (has("content") || has("contents")) {
        Kind::Write
    } else if has("file_path") && has("edits") {
        Kind::MultiEdit
    } else if has("file_path") && has("new_string") {
        Kind::Edit
    } else {
        Kind::None
    }
}

fn file_path(input: &Value, ctx: &str) -> Result<PathBuf> {
    let p = str_field(input, "file_path")
        .or_else(|| str_field(input, "path"))
        .ok_or_else(|| anyhow!("stdin:1: {ctx}: no `file_path` string"))?;
    Ok(PathBuf::from(p))
}

fn content(input: &Value, ctx: &str) -> Result<String> {
    match input.get("content").or_else(|| input.get("contents")) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => bail!("stdin:1: {ctx}: no `content` string"),
    }
}

fn replace(agent: Agent, e: &Value, ctx: &str) -> Result<Replace> {
    let all = match agent {
        Agent::Gemini => e
            .get("expected_replacements")
            .and_then(Value::as_u64)
            .is_some_and(|n| n > 1),
        _ => e
            .get("replace_all")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    };
    Ok(Replace {
        old: str_field(e, "old_string").unwrap_or_default().to_string(),
        new: need_str(e, "new_string", ctx)?,
        all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool_event(agent: Agent, event: &str, tool: &str) -> Event {
        let input = serde_json::json!({
            "hook_event_name": event, "tool_name": tool,
            "tool_input": {"body": "x", "command": "ls"}
        });
        parse(agent, input.to_string().as_bytes()).unwrap().event
    }

    #[test]
    fn mcp_tools_are_recognised_in_each_agents_naming() {
        let args = |tool: &str| Event::ToolArgs {
            tool: tool.into(),
            args: "{\n  \"body\": \"x\",\n  \"command\": \"ls\"\n}".into(),
        };
        assert_eq!(
            tool_event(Agent::Claude, "PreToolUse", "mcp__github__create_issue"),
            args("mcp__github__create_issue")
        );
        assert_eq!(
            tool_event(Agent::Gemini, "BeforeTool", "mcp__db__query"),
            args("mcp__db__query")
        );
        assert_eq!(
            tool_event(Agent::Cursor, "preToolUse", "MCP:github:create_issue"),
            args("MCP:github:create_issue")
        );
        // A built-in tool with the same input is judged by what it is.
        let shell = Event::Shell {
            command: "ls".into(),
        };
        assert_eq!(tool_event(Agent::Cursor, "preToolUse", "Shell"), shell);
        assert_eq!(tool_event(Agent::Claude, "PreToolUse", "Bash"), shell);
        assert_eq!(
            tool_event(Agent::Claude, "PreToolUse", "TodoWrite"),
            Event::Other
        );
    }
}
