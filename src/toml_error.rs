//! One-line TOML errors that name the file and line, shared by `.keyhook.toml`
//! and the rule files it can add to.

/// Formats a TOML error as `file:line: message (what to do)`, on one line.
pub fn toml_error(origin: &str, text: &str, err: &toml::de::Error) -> String {
    let line = err
        .span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
        .unwrap_or(1);
    let msg = err
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .trim_end_matches('.');
    format!("{origin}:{line}: {msg} (fix the file; see the README's configuration reference)")
}
