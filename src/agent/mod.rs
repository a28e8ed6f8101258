//! The agent guard (issue 12): `keyhook agent <claude|cursor|gemini>` runs as
//! an AI coding agent's hook and stops a key before it reaches the model (a
//! pasted prompt), a file (the agent writing `.env.local` or `config.ts`) or a
//! commit that skips keyhook (`git commit --no-verify`). The event arrives as
//! JSON on stdin ([`event`]), is judged with the same pipeline as a staged
//! file ([`judge`], [`shell`]) and answered in the agent's protocol
//! ([`respond`]). Every failure to judge is a refusal: the agents treat any
//! exit code but 2 as "go ahead", so a crash must never be one. [`settings`]
//! installs the hook entries into the agents' settings files.

pub mod event;
pub mod jsonc;
pub mod judge;
pub mod respond;
pub mod settings;
pub mod shell;

use respond::Response;

/// The agents keyhook speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Agent {
    /// Claude Code (`.claude/settings.json`).
    Claude,
    /// Cursor (`.cursor/hooks.json`).
    Cursor,
    /// Gemini CLI (`.gemini/settings.json`).
    Gemini,
}

impl Agent {
    /// Every agent, in display order.
    pub const ALL: [Agent; 3] = [Agent::Claude, Agent::Cursor, Agent::Gemini];

    /// Lower-case name, as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Agent::Claude => "claude",
            Agent::Cursor => "cursor",
            Agent::Gemini => "gemini",
        }
    }
}

/// Judges one event given as the raw bytes of stdin and returns the answer.
/// Never fails and never panics outward: an error or a panic is a refusal.
pub fn handle(agent: Agent, input: &[u8]) -> Response {
    let judged = std::panic::catch_unwind(|| -> anyhow::Result<Response> {
        let parsed = event::parse(agent, input)?;
        let verdict = judge::judge(&parsed)?;
        Ok(respond::verdict(agent, parsed.point, &verdict))
    });
    match judged {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            let msg: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            respond::error(agent, &msg.join(": "))
        }
        Err(_) => respond::error(agent, "internal error (panic) while judging the event"),
    }
}
