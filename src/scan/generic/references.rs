//! References and expressions that stand where a secret would, in every
//! configuration language keyhook reads: the value names where the secret is
//! kept (`var.db_password`, `${{ secrets.TOKEN }}`, `!Ref DbPassword`,
//! `@Value("${app.secret}")`, `settings.API_KEY`, `config["token"]`), so the
//! secret itself is not in the file.

use super::shape;

/// Fragments anywhere in a value that make it a reference to a secret kept
/// elsewhere: environment lookups, secret stores, and the objects settings
/// are read from.
#[rustfmt::skip]
const FRAGMENTS: &[&str] = &[
    "process.env", "os.environ", "os.getenv", "getenv(", "env(", "env[", "env.", "environ[",
    "secrets.", "vault:", "ref+", "arn:", "import.meta.env", "config.", "settings.", "self.",
    "this.", "params.", "args.", "options.", "request.", "keyring", "config[", "settings[",
    "secrets[", "conf[", "cfg[", "vars.", "inputs.", "matrix.", "steps.", "needs.",
    "env::var", "getproperty(", "configuration[",
];

/// Roots of HCL (Terraform, Packer, Nomad) expressions: `var.x`, `local.x`,
/// `module.x.y`, `data.x.y.z`, `each.value`, `count.index`, `path.module`.
const HCL_ROOTS: &[&str] = &[
    "var.",
    "local.",
    "module.",
    "data.",
    "each.",
    "count.",
    "path.",
    "terraform.",
    "self.",
];

/// Openings of a template or an interpolation in some configuration
/// language: shell and Make `$(...)`, `${...}`, GitHub Actions `${{ }}`,
/// Jinja and Helm `{{ }}`, ERB `<%= %>`, Ruby `#{}`, Python `%(x)s`.
const TEMPLATE_OPENINGS: &[&str] = &["$(", "${", "{{", "<%", "#{", "%(", "@{"];

/// Why `value` is a reference or an expression rather than a literal, or
/// `None` when it is a literal.
pub(super) fn reference(value: &[u8]) -> Option<&'static str> {
    let lower = value.to_ascii_lowercase();
    if TEMPLATE_OPENINGS
        .iter()
        .any(|t| shape::find(value, t.as_bytes()).is_some())
    {
        return Some("a template or interpolation");
    }
    if FRAGMENTS
        .iter()
        .any(|r| shape::find(&lower, r.as_bytes()).is_some())
    {
        return Some("a reference to a value kept elsewhere");
    }
    if HCL_ROOTS
        .iter()
        .any(|r| lower.starts_with(r.as_bytes()) && path_after(&value[r.len()..]))
    {
        return Some("an HCL expression (var., local., module., data., each.)");
    }
    if intrinsic(value) {
        return Some("a CloudFormation intrinsic function (!Ref, !Sub, !GetAtt)");
    }
    None
}

/// `db_password`, `vault_cfg.token`, `x["k"]`: what follows an HCL root is an
/// attribute path, not random text.
fn path_after(rest: &[u8]) -> bool {
    !rest.is_empty()
        && (rest[0].is_ascii_alphabetic() || rest[0] == b'_')
        && rest.iter().all(|&b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'[' | b']' | b'*')
        })
}

/// `!Ref`, `!Sub`, `!GetAtt`, `!ImportValue`, `!FindInMap`, `!If`: YAML tags
/// of CloudFormation's intrinsic functions.
fn intrinsic(value: &[u8]) -> bool {
    value.first() == Some(&b'!')
        && value.get(1).is_some_and(u8::is_ascii_uppercase)
        && value[1..].iter().all(u8::is_ascii_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::reference;

    #[test]
    fn references_in_config_languages() {
        for v in [
            "var.agent_auth",
            "local.app_secret_key",
            "module.vault_cfg.token_value",
            "data.aws_ssm_parameter.ak.value",
            "each.value.password",
            "${{inputs.api_key}}",
            "!Ref",
            "!GetAtt",
            "$(shell",
            "${app.jwt.secret}",
            "settings.STRIPE_API_KEY",
            "config[\"signing_secret\"]",
            "<%=",
        ] {
            assert!(reference(v.as_bytes()).is_some(), "{v}");
        }
    }

    #[test]
    fn literals_are_not_references() {
        for v in [
            "Zq8Lm2Xv9TbK4pWn7Yc3Rs",
            "variance9Qz",
            "data8x7Kq2",
            "!x9Kq2LmZ",
            "hq7Vd2mXr9",
            "local-Zq8Lm2Xv9",
        ] {
            assert!(reference(v.as_bytes()).is_none(), "{v}");
        }
    }
}
