//! What kind of file a path names, as far as judging `name = value` goes. In
//! source code an unquoted value is an expression (`key: supplierKey`,
//! `password: c.password`); in configuration, shell and prose it is a literal
//! (`POSTGRES_PASSWORD=hunter2`).

/// The kind of a file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileKind {
    /// Program source: unquoted values are identifiers or expressions.
    Code,
    /// Configuration, environment and shell files: unquoted values are literals.
    Config,
    /// Anything else (docs, logs, unknown extensions): judged like configuration.
    #[default]
    Other,
}

/// Extensions of languages whose unquoted right-hand sides are expressions.
const CODE: &[&str] = &[
    "go", "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "py", "pyi", "rb", "java", "kt",
    "kts", "scala", "sc", "cs", "fs", "vb", "php", "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "hh",
    "m", "mm", "swift", "dart", "r", "lua", "pl", "pm", "ex", "exs", "erl", "hs", "clj", "cljs",
    "jl", "groovy", "sol", "vue", "svelte",
];

/// Extensions of configuration and shell files.
const CONFIG: &[&str] = &[
    "yml",
    "yaml",
    "json",
    "toml",
    "ini",
    "cfg",
    "conf",
    "env",
    "properties",
    "xml",
    "tf",
    "tfvars",
    "tfstate",
    "hcl",
    "plist",
    "sh",
    "bash",
    "zsh",
    "fish",
    "ps1",
    "bat",
    "cmd",
    "gradle",
    "npmrc",
    "pypirc",
    "netrc",
    "cnf",
];

impl FileKind {
    /// Classifies `path` by its file name.
    pub fn of(path: &str) -> FileKind {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        if lower.starts_with(".env") || lower == "dockerfile" || lower.ends_with(".env") {
            return FileKind::Config;
        }
        let Some((_, ext)) = lower.rsplit_once('.') else {
            return FileKind::Other;
        };
        if CODE.contains(&ext) {
            FileKind::Code
        } else if CONFIG.contains(&ext) {
            FileKind::Config
        } else {
            FileKind::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        assert_eq!(FileKind::of("src/client_test.go"), FileKind::Code);
        assert_eq!(FileKind::of("Main.R"), FileKind::Code);
        assert_eq!(FileKind::of("deploy/docker-compose.yml"), FileKind::Config);
        assert_eq!(FileKind::of(".env.example"), FileKind::Config);
        assert_eq!(FileKind::of("prod.env"), FileKind::Config);
        assert_eq!(FileKind::of("README.md"), FileKind::Other);
        assert_eq!(FileKind::of("Makefile"), FileKind::Other);
    }
}
