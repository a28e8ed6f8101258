//! Canaries for `keyhook selftest`: freshly generated fake keys, one per major
//! provider family, in the documented format of each (prefix, length,
//! alphabet) with random bodies, so no two runs commit the same value and
//! none is a real credential. Add a family by appending to [`CANARIES`].

use std::hash::{BuildHasher, Hasher};

/// Upper- and lower-case letters and digits.
const BASE62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// URL-safe base64.
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Standard base64 without padding.
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// RFC 4648 base32 (AWS key ids).
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DIGITS: &[u8] = b"0123456789";

/// A small non-cryptographic generator (splitmix64), seeded from the OS's
/// per-process hasher keys and the clock: canaries must differ between runs,
/// not resist an attacker.
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded differently on every call.
    pub fn new() -> Rng {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.write_u32(std::process::id());
        Rng(h.finish())
    }

    /// A generator with a fixed seed (tests).
    pub fn seeded(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// `n` characters drawn from `alphabet`.
    pub fn string(&mut self, n: usize, alphabet: &[u8]) -> String {
        (0..n)
            .map(|_| alphabet[(self.next_u64() % alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

impl Default for Rng {
    fn default() -> Self {
        Rng::new()
    }
}

/// A fake key committed by the self-test, and the file around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    /// The whole file content.
    pub content: String,
    /// The secret itself (for redaction in the self-test's own output).
    pub secret: String,
}

/// One provider family's canary.
#[derive(Debug, Clone, Copy)]
pub struct Canary {
    /// Family shown in the report.
    pub family: &'static str,
    /// Rule ids of this family start with this (`aws.`).
    pub rule_prefix: &'static str,
    /// Path of the file the key is committed in.
    pub file: &'static str,
    /// Generates a fresh key in its file.
    pub make: fn(&mut Rng) -> Planted,
}

fn line(var: &str, secret: String) -> Planted {
    Planted {
        content: format!("# service settings\nLOG_LEVEL=info\n{var}={secret}\n"),
        secret,
    }
}

/// Every canary, in report order.
pub const CANARIES: &[Canary] = &[
    Canary {
        family: "OpenAI",
        rule_prefix: "openai.",
        file: "config/openai.env",
        make: |r| {
            let key = format!(
                "sk-proj-{}T3BlbkFJ{}",
                r.string(74, BASE64URL),
                r.string(74, BASE64URL)
            );
            line("OPENAI_API_KEY", key)
        },
    },
    Canary {
        family: "Anthropic",
        rule_prefix: "anthropic.",
        file: "config/anthropic.env",
        make: |r| {
            line(
                "ANTHROPIC_API_KEY",
                format!("sk-ant-api03-{}AA", r.string(93, BASE64URL)),
            )
        },
    },
    Canary {
        family: "GitHub",
        rule_prefix: "github.",
        file: "config/github.env",
        make: |r| line("GITHUB_TOKEN", format!("ghp_{}", r.string(36, BASE62))),
    },
    Canary {
        family: "GitLab",
        rule_prefix: "gitlab.",
        file: "config/gitlab.env",
        make: |r| line("GITLAB_TOKEN", format!("glpat-{}", r.string(20, BASE62))),
    },
    Canary {
        family: "AWS",
        rule_prefix: "aws.",
        file: "deploy/aws-credentials",
        make: |r| {
            let id = format!("AKIA{}", r.string(16, BASE32));
            let secret = r.string(40, BASE64);
            Planted {
                content: format!(
                    "[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\nregion = eu-west-1\n"
                ),
                secret: id,
            }
        },
    },
    Canary {
        family: "Stripe",
        rule_prefix: "stripe.",
        file: "config/stripe.env",
        make: |r| {
            line(
                "STRIPE_SECRET_KEY",
                format!("sk_live_51{}", r.string(97, BASE62)),
            )
        },
    },
    Canary {
        family: "Slack",
        rule_prefix: "slack.",
        file: "config/slack.env",
        make: |r| {
            let key = format!(
                "xoxb-{}-{}-{}",
                r.string(12, DIGITS),
                r.string(13, DIGITS),
                r.string(24, BASE62)
            );
            line("SLACK_BOT_TOKEN", key)
        },
    },
    Canary {
        family: "Google",
        rule_prefix: "google.",
        file: "web/firebase.js",
        make: |r| {
            let key = format!("AIza{}", r.string(35, BASE64URL));
            Planted {
                content: format!(
                    "export const firebaseConfig = {{\n  apiKey: \"{key}\",\n  projectId: \"demo-app\",\n}};\n"
                ),
                secret: key,
            }
        },
    },
    Canary {
        family: "npm",
        rule_prefix: "npm.",
        file: ".npmrc",
        make: |r| {
            let key = format!("npm_{}", r.string(36, BASE62));
            Planted {
                content: format!("//registry.npmjs.org/:_authToken={key}\n"),
                secret: key,
            }
        },
    },
    Canary {
        family: "Hugging Face",
        rule_prefix: "huggingface.",
        file: "config/hf.env",
        make: |r| line("HF_TOKEN", format!("hf_{}", r.string(34, LETTERS))),
    },
    Canary {
        family: "SendGrid",
        rule_prefix: "sendgrid.",
        file: "config/mail.env",
        make: |r| {
            let key = format!("SG.{}.{}", r.string(22, BASE64URL), r.string(43, BASE64URL));
            line("SENDGRID_API_KEY", key)
        },
    },
    Canary {
        family: "PEM private key",
        rule_prefix: "pem.",
        file: "deploy/server.key",
        make: |r| {
            // "MIIEv" opens a 2048-bit PKCS#8 RSA key; the rest is random base64.
            let mut body = format!("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC{}", r.string(1584, BASE64));
            let mut lines = Vec::new();
            while !body.is_empty() {
                let rest = body.split_off(body.len().min(64));
                lines.push(body);
                body = rest;
            }
            let pem = format!(
                "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----",
                lines.join("\n")
            );
            Planted {
                content: format!("{pem}\n"),
                secret: pem,
            }
        },
    },
    Canary {
        family: "Generic secret assignment",
        rule_prefix: "generic.",
        file: "app/settings.py",
        make: |r| {
            let value = r.string(24, BASE62);
            Planted {
                content: format!("DEBUG = False\nDB_PASSWORD = \"{value}\"\n"),
                secret: value,
            }
        },
    },
];

/// A file that must NOT be blocked: documented placeholders in the formats
/// above, as an `.env.example` holds them.
pub const PLACEHOLDER_FILE: &str = ".env.example";

/// The placeholder file's content.
pub const PLACEHOLDER: &str = "OPENAI_API_KEY=sk-proj-your-key-here\nGITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}\nDB_PASSWORD=<your-password>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canaries_are_fresh_and_well_formed() {
        let mut a = Rng::seeded(1);
        let mut b = Rng::seeded(2);
        for c in CANARIES {
            let (x, y) = ((c.make)(&mut a), (c.make)(&mut b));
            assert_ne!(x.secret, y.secret, "{}", c.family);
            assert!(x.content.contains(&x.secret), "{}", c.family);
        }
        assert_ne!(Rng::new().next_u64(), Rng::new().next_u64());
    }

    #[test]
    fn each_canary_is_caught_by_its_family_where_the_family_has_rules() {
        use crate::rules::RuleSet;
        use crate::scan::{Added, FindingContext, GenericPolicy, Scanner};
        let rules = RuleSet::builtin().unwrap();
        let scanner = Scanner::new(rules, GenericPolicy::default(), u64::MAX);
        let ctx = FindingContext { salt: "s".into() };
        let mut rng = Rng::seeded(7);
        let mut checked = 0;
        for c in CANARIES {
            let has_rules = scanner
                .rules()
                .rules()
                .iter()
                .any(|r| r.id.starts_with(c.rule_prefix));
            let planted = (c.make)(&mut rng);
            let found = scanner.scan_file(c.file, planted.content.as_bytes(), &Added::All, &ctx);
            if has_rules {
                checked += 1;
                assert!(
                    found
                        .findings
                        .iter()
                        .any(|f| f.rule.starts_with(c.rule_prefix)),
                    "{}: {:?}",
                    c.family,
                    found.findings.iter().map(|f| &f.rule).collect::<Vec<_>>()
                );
            }
        }
        assert!(checked >= 3);
        let clean = scanner.scan_file(PLACEHOLDER_FILE, PLACEHOLDER.as_bytes(), &Added::All, &ctx);
        assert!(clean.findings.is_empty(), "{:?}", clean.findings);
    }
}
