//! Secrets in browser-public variables. Front-end build tools inline every
//! variable with a public prefix (`NEXT_PUBLIC_`, `VITE_`, `REACT_APP_`,
//! `EXPO_PUBLIC_`, `NUXT_PUBLIC_`, `PUBLIC_`, `GATSBY_`) into the bundle that
//! ships to every visitor, so a server-side key there is published even if the
//! repository is private. AI assistants add the prefix to make a "key is
//! undefined" error go away; this is the check for it.
//!
//! Publishable keys (Stripe `pk_`, Firebase web config, Supabase anon keys,
//! reCAPTCHA site keys) are made for the browser and are left alone, including
//! the generic rule's findings on them.

use super::assign::{self, Strictness};
use super::lines::{self, Cursor};
use super::{File, Label};
use crate::finding::{Finding, Pattern};
use aho_corasick::{AhoCorasick, MatchKind};
use std::sync::OnceLock;

/// Rule id for a secret-named public variable no provider rule matched.
pub const RULE: &str = "keyhook.public-env";

/// Public prefixes and the tool that publishes them. `PUBLIC_` comes last so the
/// longer prefixes that contain it win.
const PREFIXES: &[(&str, &str)] = &[
    ("NEXT_PUBLIC_", "Next.js"),
    ("NUXT_PUBLIC_", "Nuxt"),
    ("EXPO_PUBLIC_", "Expo"),
    ("REACT_APP_", "Create React App"),
    ("VITE_", "Vite"),
    ("GATSBY_", "Gatsby"),
    ("PUBLIC_", "SvelteKit/Astro"),
];

/// Literals whose presence means a public variable may be on the line; every
/// prefix above contains one of them.
const NEEDLES: &[&str] = &["PUBLIC_", "VITE_", "REACT_APP_", "GATSBY_"];

/// Name fragments of keys made for the browser.
const PUBLISHABLE_NAMES: &[&str] = &[
    "PUBLISHABLE",
    "ANON",
    "FIREBASE",
    "MAPS",
    "MAPBOX",
    "SITE_KEY",
    "SITEKEY",
    "DSN",
    "MEASUREMENT_ID",
    "CLIENT_ID",
    "APP_ID",
    "POSTHOG",
    "SEARCH_KEY",
    "SEARCH_ONLY",
    "PUBLIC_KEY",
];

/// Name fragments that no publishable key has.
const NEVER_PUBLISHABLE: &[&str] = &["SECRET", "PRIVATE", "SERVICE_ROLE", "ADMIN", "PASSWORD"];

/// Value shapes of publishable keys: Stripe/Clerk `pk_`, Mapbox `pk.`, Google
/// browser keys `AIza` (Firebase, Maps), Supabase anon JWTs, PostHog `phc_`.
const PUBLISHABLE_VALUES: &[&str] = &["pk_", "pk.", "AIza", "eyJ", "phc_"];

fn needles() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    // Leftmost-first lets aho-corasick use its SIMD (Teddy) searcher; the
    // default standard semantics would fall back to a much slower scan of
    // every byte, doubling the cost of a large commit.
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(NEEDLES)
            .expect("public-env needles")
    })
}

/// The public prefix `name` starts with, and the tool that publishes it.
fn public_prefix(name: &str) -> Option<(&'static str, &'static str)> {
    PREFIXES.iter().copied().find(|(p, _)| name.starts_with(p))
}

/// True when `name = value` is a key made to be public.
fn is_publishable(name: &str, value: &[u8]) -> bool {
    if value.starts_with(b"pk_live_") || value.starts_with(b"pk_test_") {
        return true;
    }
    let upper = name.to_ascii_uppercase();
    if NEVER_PUBLISHABLE.iter().any(|n| upper.contains(n)) {
        return false;
    }
    PUBLISHABLE_NAMES.iter().any(|n| upper.contains(n))
}

/// True when the value itself has a publishable key's shape.
fn has_publishable_shape(value: &[u8]) -> bool {
    PUBLISHABLE_VALUES
        .iter()
        .any(|p| value.starts_with(p.as_bytes()))
}

/// Relabels findings on public variables, drops the generic rule's findings on
/// publishable keys, and adds findings for secret-named public variables with
/// random values that no rule matched.
pub fn detect(file: &File<'_>, findings: &mut Vec<Finding>) {
    let data = file.data;
    let mut cursor = Cursor::new(data, 1);
    let mut last_line = 0u32;
    for m in needles().find_iter(data) {
        // Back up to the start of the identifier holding the match.
        let mut start = m.start();
        while start > 0 && (data[start - 1].is_ascii_alphanumeric() || data[start - 1] == b'_') {
            start -= 1;
        }
        let (line_no, range) = cursor.line_of(start);
        if line_no == last_line {
            continue;
        }
        last_line = line_no;
        if !lines::reportable_line(file.added, line_no, &data[range.clone()]) {
            continue;
        }
        let line = &data[range.clone()];
        for a in assign::pairs(line) {
            let name = String::from_utf8_lossy(&line[a.name.clone()]);
            let Some((prefix, tool)) = public_prefix(&name) else {
                continue;
            };
            let value = &line[a.value.clone()];
            let first = lines::column(data, range.start, range.start + a.value.start);
            let last = lines::column(data, range.start, range.start + a.value.end);
            let on_value = |f: &Finding| f.line == line_no && f.column >= first && f.column < last;
            let publishable = is_publishable(&name, value);
            let mut seen = false;
            findings.retain(|f| {
                !(on_value(f)
                    && publishable
                    && (f.pattern == Pattern::GenericAssignment || has_publishable_shape(value)))
            });
            for f in findings.iter_mut().filter(|f| on_value(f)) {
                seen = true;
                relabel(f, &name, prefix, tool);
            }
            if seen || publishable {
                continue;
            }
            let rest = &name[prefix.len()..];
            if assign::is_secret_name(rest)
                && assign::is_literal_secret(value, Strictness::Random, file.scanner.policy())
            {
                let why = format!(
                    "a secret-named variable holds a literal {}-character value with entropy {:.1} bits/char",
                    value.len(),
                    crate::scan::entropy::shannon(value)
                );
                let label = Label {
                    rule: RULE,
                    name: "Secret in a browser-public variable".into(),
                    pattern: Pattern::PublicEnv,
                    why,
                    fix: String::new(),
                };
                let mut f = file.finding(line_no, first, value, label);
                relabel(&mut f, &name, prefix, tool);
                findings.push(f);
            }
        }
    }
}

fn relabel(f: &mut Finding, name: &str, prefix: &str, tool: &str) {
    let shipped = if prefix == "EXPO_PUBLIC_" {
        "is compiled into the app bundle on every user's device"
    } else {
        "is inlined into the JavaScript bundle at build time and ships to every visitor's browser"
    };
    f.pattern = Pattern::PublicEnv;
    f.why = format!(
        "`{name}` has {tool}'s public prefix `{prefix}`: its value {shipped}; {}",
        f.why
    );
    f.fix = format!(
        "drop the `{prefix}` prefix and use the key only on the server (an API route, server action or edge function that calls the provider for the browser); rotate the key, since every bundle built with it contains it"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(public_prefix("NEXT_PUBLIC_X").unwrap().0, "NEXT_PUBLIC_");
        assert_eq!(public_prefix("PUBLIC_X").unwrap().0, "PUBLIC_");
        assert_eq!(public_prefix("MY_PUBLIC_X"), None);
    }

    #[test]
    fn publishable_keys() {
        assert!(is_publishable("NEXT_PUBLIC_STRIPE_KEY", b"pk_live_abc"));
        assert!(is_publishable("NEXT_PUBLIC_FIREBASE_API_KEY", b"AIzaSyX"));
        assert!(is_publishable("VITE_SUPABASE_ANON_KEY", b"eyJhbGc"));
        assert!(is_publishable("NEXT_PUBLIC_RECAPTCHA_SITE_KEY", b"6Lc"));
        assert!(!is_publishable("NEXT_PUBLIC_FIREBASE_PRIVATE_KEY", b"x"));
        assert!(!is_publishable(
            "NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY",
            b"eyJ"
        ));
        assert!(!is_publishable("VITE_OPENAI_API_KEY", b"sk-proj-x"));
    }
}
