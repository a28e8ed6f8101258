//! Manifests and pipelines: the files that configure where code runs, where a
//! literal secret is both common (an assistant "fixes" a failing deploy by
//! inlining the value) and long-lived. Dockerfile `ENV`/`ARG` (baked into every
//! image layer), compose `environment:`, CI files (where `${{ secrets.X }}`
//! belongs), Terraform `*.tfvars` and HCL, and Kubernetes `Secret` manifests
//! ([`super::kube`]).
//!
//! Every rule finding in such a file gets the fix for its kind; a secret-named
//! assignment with a random literal value that no rule matched is a finding too.

use super::assign::{self, Strictness};
use super::lines;
use super::{covered, kube, File, Label};
use crate::finding::{Finding, Pattern};

/// What kind of manifest a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `Dockerfile`, `Containerfile`, `*.dockerfile`.
    Dockerfile,
    /// `docker-compose*.yml`, `compose*.yaml`.
    Compose,
    /// GitHub Actions, GitLab CI, CircleCI, ... pipelines.
    Ci,
    /// `*.tf`, `*.tfvars`, `*.hcl`.
    Terraform,
    /// Any other YAML: a Kubernetes manifest when it says `kind: Secret`.
    Yaml,
}

/// CI files by exact path suffix or file name.
const CI_NAMES: &[&str] = &[
    ".gitlab-ci.yml",
    ".travis.yml",
    ".drone.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    "cloudbuild.yaml",
    "cloudbuild.yml",
    "Jenkinsfile",
    "appveyor.yml",
    "buildspec.yml",
];

/// Classifies `path` by name alone.
pub fn classify(path: &str) -> Option<Kind> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if name == "Dockerfile"
        || name == "Containerfile"
        || name.starts_with("Dockerfile.")
        || lower.ends_with(".dockerfile")
    {
        return Some(Kind::Dockerfile);
    }
    if CI_NAMES.contains(&name)
        || (yaml
            && (path.starts_with(".github/workflows/")
                || path.contains("/.github/workflows/")
                || path.starts_with(".circleci/")
                || path.starts_with(".buildkite/")
                || path.starts_with(".gitlab/ci/")))
    {
        return Some(Kind::Ci);
    }
    if yaml && (lower.starts_with("docker-compose") || lower.starts_with("compose")) {
        return Some(Kind::Compose);
    }
    if lower.ends_with(".tf")
        || lower.ends_with(".tfvars")
        || lower.ends_with(".tfvars.json")
        || lower.ends_with(".hcl")
    {
        return Some(Kind::Terraform);
    }
    yaml.then_some(Kind::Yaml)
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Dockerfile => "a Dockerfile (ENV and ARG values are stored in the image's layers and history, readable by anyone who pulls it)",
            Kind::Compose => "a compose file",
            Kind::Ci => "a CI pipeline file (readable by everyone with access to the repository, and printed in logs)",
            Kind::Terraform => "Terraform configuration (values end up in plans and state as well)",
            Kind::Yaml => "a manifest",
        }
    }

    fn fix(self) -> &'static str {
        match self {
            Kind::Dockerfile => "pass it at build time with `RUN --mount=type=secret,id=...` or at run time (`docker run -e`, an orchestrator secret), never with ENV or ARG; rotate the key",
            Kind::Compose => "use `environment: [NAME]` with the value in an untracked `.env` next to the compose file, or compose `secrets:`; rotate the key",
            Kind::Ci => "store it as a CI secret and reference it (`${{ secrets.NAME }}` in GitHub Actions, a masked variable `$NAME` in GitLab CI); rotate the key",
            Kind::Terraform => "declare the variable `sensitive = true` and pass it through `TF_VAR_name` or a secret manager data source; keep `*.tfvars` with secrets out of git; rotate the key",
            Kind::Yaml => "keep the value out of the file: reference a secret store at deploy time; rotate the key",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Kind::Dockerfile => "keyhook.dockerfile-secret",
            Kind::Compose => "keyhook.compose-secret",
            Kind::Ci => "keyhook.ci-secret",
            Kind::Terraform => "keyhook.terraform-secret",
            Kind::Yaml => "keyhook.manifest-secret",
        }
    }
}

/// Runs the manifest checks for a file of `kind`.
pub fn detect(kind: Kind, file: &File<'_>, findings: &mut Vec<Finding>) {
    if kind == Kind::Yaml {
        // Plain YAML is only interesting as a Kubernetes Secret.
        return kube::detect(file, findings);
    }
    let data = file.data;
    let mut variable: Option<String> = None;
    for (no, r) in lines::all(data) {
        let line = &data[r.clone()];
        if kind == Kind::Terraform {
            track_variable_block(line, &mut variable);
        }
        if !lines::reportable_line(file.added, no, line) {
            continue;
        }
        for a in assign::pairs(line) {
            let mut name = String::from_utf8_lossy(&line[a.name.clone()]).into_owned();
            if name == "default" {
                // `variable "db_password" { default = "..." }`: the block names it.
                match &variable {
                    Some(v) => name = v.clone(),
                    None => continue,
                }
            }
            let value = &line[a.value.clone()];
            let col = lines::column(data, r.start, r.start + a.value.start);
            let end = lines::column(data, r.start, r.start + a.value.end);
            if covered(findings, no, col..end.max(col + 1))
                || !assign::is_secret_name(&name)
                || !assign::is_literal_secret(value, Strictness::Random, file.scanner.policy())
            {
                continue;
            }
            let why = format!(
                "`{name}` holds a literal {}-character value with entropy {:.1} bits/char in {}",
                value.len(),
                crate::scan::entropy::shannon(value),
                kind.describe()
            );
            let label = Label {
                rule: kind.rule(),
                name: "Literal secret in a manifest".into(),
                pattern: Pattern::Manifest,
                why,
                fix: kind.fix().into(),
            };
            findings.push(file.finding(no, col, value, label));
        }
    }
    for f in findings.iter_mut() {
        if f.pattern != Pattern::Manifest {
            f.pattern = Pattern::Manifest;
            f.why = format!("in {}; {}", kind.describe(), f.why);
            f.fix = kind.fix().into();
        }
    }
}

/// Follows `variable "name" {` ... `}` blocks in HCL.
fn track_variable_block(line: &[u8], variable: &mut Option<String>) {
    let t = line.trim_ascii();
    if let Some(rest) = t.strip_prefix(b"variable ") {
        let name: Vec<u8> = rest
            .iter()
            .copied()
            .skip_while(|&b| b == b'"' || b == b' ')
            .take_while(|&b| b != b'"' && b != b' ' && b != b'{')
            .collect();
        *variable = Some(String::from_utf8_lossy(&name).into_owned());
    } else if t == b"}" {
        *variable = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let k = classify;
        assert_eq!(k("Dockerfile"), Some(Kind::Dockerfile));
        assert_eq!(k("svc/Dockerfile.prod"), Some(Kind::Dockerfile));
        assert_eq!(k("api.dockerfile"), Some(Kind::Dockerfile));
        assert_eq!(k("docker-compose.override.yml"), Some(Kind::Compose));
        assert_eq!(k("compose.yaml"), Some(Kind::Compose));
        assert_eq!(k(".github/workflows/deploy.yml"), Some(Kind::Ci));
        assert_eq!(k(".gitlab-ci.yml"), Some(Kind::Ci));
        assert_eq!(k("infra/prod.tfvars"), Some(Kind::Terraform));
        assert_eq!(k("infra/main.tf"), Some(Kind::Terraform));
        assert_eq!(k("k8s/secret.yaml"), Some(Kind::Yaml));
        assert_eq!(k("src/main.rs"), None);
    }

    #[test]
    fn variable_blocks() {
        let mut v = None;
        track_variable_block(br#"variable "db_password" {"#, &mut v);
        assert_eq!(v.as_deref(), Some("db_password"));
        track_variable_block(b"}", &mut v);
        assert_eq!(v, None);
    }
}
