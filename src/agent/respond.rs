//! Answering in each agent's protocol. All three block on exit code 2 with
//! the reason on stderr (the model reads it); Cursor also wants JSON on
//! stdout on every path, and Gemini wants stdout to hold nothing but JSON.
//! An allow never says "allow" where that could skip the user's own approval
//! prompt (Cursor's `permission: "allow"`, Gemini's `decision: "allow"`):
//! keyhook only ever takes permissions away.

use super::event::Point;
use super::judge::{Refusal, Verdict};
use super::Agent;
use serde_json::json;

/// What the process prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Exit code: 0 allow, 2 refuse.
    pub code: i32,
    /// Standard output (JSON for Cursor and Gemini).
    pub stdout: String,
    /// Standard error (the reason, for the model).
    pub stderr: String,
}

/// The exit code every agent reads as "block".
pub const BLOCK: i32 = 2;

/// The answer to a judged event.
pub fn verdict(agent: Agent, point: Point, v: &Verdict) -> Response {
    match v {
        Verdict::Allow => allow(agent, point),
        Verdict::Deny(r) => deny(agent, point, r),
    }
}

fn allow(agent: Agent, point: Point) -> Response {
    let stdout = match (agent, point) {
        (Agent::Claude, _) => String::new(),
        (Agent::Cursor, Point::Prompt) => json!({"continue": true}).to_string(),
        (Agent::Cursor, _) | (Agent::Gemini, _) => "{}".to_string(),
    };
    Response {
        code: 0,
        stdout: line(stdout),
        stderr: String::new(),
    }
}

fn deny(agent: Agent, point: Point, r: &Refusal) -> Response {
    let text = r.text();
    let stdout = match (agent, point) {
        (Agent::Claude, _) => String::new(),
        (Agent::Cursor, Point::Prompt) => {
            json!({"continue": false, "user_message": text}).to_string()
        }
        (Agent::Cursor, _) => json!({
            "permission": "deny",
            "user_message": r.headline,
            "agent_message": text,
        })
        .to_string(),
        (Agent::Gemini, _) => json!({"decision": "deny", "reason": text}).to_string(),
    };
    Response {
        code: BLOCK,
        stdout: line(stdout),
        stderr: format!("{text}\n"),
    }
}

/// The answer when keyhook could not judge the event: a refusal with a
/// one-line reason. Cursor gets both of its deny shapes, since the event
/// (prompt or tool) may be what could not be read.
pub fn error(agent: Agent, reason: &str) -> Response {
    let reason = reason.replace('\n', " ");
    let text = format!(
        "keyhook: error: {reason} (keyhook blocks what it cannot check; run `keyhook agent {}` by hand with the event on stdin to see why)",
        agent.name()
    );
    let stdout = match agent {
        Agent::Claude => String::new(),
        Agent::Cursor => json!({
            "continue": false,
            "permission": "deny",
            "user_message": text,
            "agent_message": text,
        })
        .to_string(),
        Agent::Gemini => json!({"decision": "deny", "reason": text}).to_string(),
    };
    Response {
        code: BLOCK,
        stdout: line(stdout),
        stderr: format!("{text}\n"),
    }
}

/// `respond()`, or the agent's blocking error response when it panics: a
/// bug must not let the action through, and the agents read every exit code
/// but their own blocking one as "go ahead".
pub fn guarded(agent: Agent, respond: impl FnOnce() -> Response) -> Response {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(respond))
        .unwrap_or_else(|_| error(agent, "internal error (a bug in keyhook, reported above)"))
}

fn line(s: String) -> String {
    if s.is_empty() {
        s
    } else {
        s + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_judging_blocks_the_action_for_every_agent() {
        for agent in [Agent::Claude, Agent::Cursor, Agent::Gemini] {
            let response = guarded(agent, || panic!("a bug"));
            assert_eq!(response.code, BLOCK, "{}", agent.name());
            assert!(
                response.stderr.contains("internal error"),
                "{}",
                agent.name()
            );
            if agent != Agent::Claude {
                assert!(response.stdout.contains("deny"), "{}", agent.name());
            }
            let fine = guarded(agent, || Response {
                code: 0,
                stdout: String::new(),
                stderr: String::new(),
            });
            assert_eq!(fine.code, 0);
        }
    }
}
