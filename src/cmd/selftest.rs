//! placeholder
pub fn run() -> anyhow::Result<crate::outcome::Outcome> { todo!() }
