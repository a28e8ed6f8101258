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

/// Where a file sits in a project, as far as stand-in values go: docs and
/// tests are full of example passwords (a word with digits for a leet spelling), which the
/// generic judgement lets pass there; a generated-looking key still blocks,
/// since keys leak through fixtures too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Place {
    /// Product code and configuration: every judged value counts.
    #[default]
    Source,
    /// Documentation: prose formats and doc directories.
    Docs,
    /// Tests, fixtures and test data.
    Tests,
}

/// Directory names that hold tests or test data.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "testdata",
    "test-data",
    "test_data",
    "fixtures",
    "fixture",
    "__fixtures__",
    "spec",
    "specs",
    "e2e",
    "testing",
];

/// Directory names that hold documentation and examples.
const DOC_DIRS: &[&str] = &[
    "docs",
    "doc",
    "documentation",
    "examples",
    "example",
    "i18n",
    "locales",
];

/// Extensions of documentation formats.
const DOC_EXTS: &[&str] = &[
    "md", "markdown", "mdx", "rst", "adoc", "asciidoc", "rdoc", "textile", "pod",
];

impl Place {
    /// Classifies `path` by its directories and file name.
    pub fn of(path: &str) -> Place {
        let lower = path.to_ascii_lowercase();
        let mut parts: Vec<&str> = lower.split(['/', '\\']).collect();
        let name = parts.pop().unwrap_or("");
        let stem = name.split('.').next().unwrap_or(name);
        let test_name = stem.starts_with("test_")
            || stem.ends_with("_test")
            || stem.ends_with("_tests")
            || stem.ends_with("_spec")
            || stem == "conftest"
            || name.contains(".test.")
            || name.contains(".spec.")
            || (path
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("")
                .split('.')
                .next()
                .is_some_and(|s| (s.ends_with("Test") || s.ends_with("Tests")) && s.len() > 5));
        if test_name || parts.iter().any(|d| TEST_DIRS.contains(d)) {
            return Place::Tests;
        }
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        if DOC_EXTS.contains(&ext)
            || parts.iter().any(|d| DOC_DIRS.contains(d))
            || example_name(name, stem)
        {
            return Place::Docs;
        }
        Place::Source
    }
}

/// Names that say a file is an example: `examples-1.json`, `example.py`,
/// `.env.example`, `config.sample.yml` (lower-cased `name`, and its `stem`
/// before the first dot). What is shown there is a stand-in for what a
/// reader puts in its place; a random-looking key still blocks.
fn example_name(name: &str, stem: &str) -> bool {
    let named = |word: &str| {
        stem == word
            || stem
                .strip_prefix(word)
                .is_some_and(|rest| rest.starts_with(['-', '_']))
            || name.ends_with(&format!(".{word}"))
            || name.contains(&format!(".{word}."))
    };
    ["example", "examples", "sample", "samples"]
        .iter()
        .any(|w| named(w))
}

/// True when the file name of `path` says it is an example (see
/// [`Place::of`]): such files count as docs for their values, not as
/// translated pages.
pub fn example_path(path: &str) -> bool {
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or("").to_string();
    example_name(&name, &stem)
}

/// Bytes read from the start of a script to decide it is minified.
const MINIFIED_SNIFF: usize = 64 * 1024;

/// A line this long in a script is a minifier's, not a person's.
const MINIFIED_LINE: usize = 1000;

/// True when `path` with content `text` is a minified or bundled script or
/// stylesheet, or a source map: identifiers there are mangled to a few letters
/// (`a:"xY3kQ"`) and assignments join expressions (`e.token=t`). Bounded work:
/// the name and the first 64 KB.
pub fn is_minified(path: &str, text: &[u8]) -> bool {
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    if name.contains(".min.") || name.contains(".bundle.") || name.ends_with(".map") {
        return true;
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    if !matches!(ext, "js" | "mjs" | "cjs" | "css" | "html" | "htm") {
        return false;
    }
    let head = &text[..text.len().min(MINIFIED_SNIFF)];
    head.split(|&b| b == b'\n')
        .any(|l| l.len() >= MINIFIED_LINE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_by_name_or_line_length() {
        assert!(is_minified("dist/app.min.js", b"x"));
        assert!(is_minified("dist/app.js.map", b"{}"));
        assert!(is_minified("dist/app.js", &[b'a'; 1200]));
        assert!(!is_minified("src/app.js", b"const a = 1;\n"));
        assert!(!is_minified("data/big.json", &[b'a'; 1200]));
    }

    #[test]
    fn places_by_path() {
        assert_eq!(Place::of("tests/fixtures/auth.py"), Place::Tests);
        assert_eq!(Place::of("pkg/test_client.py"), Place::Tests);
        assert_eq!(Place::of("internal/db/conn_test.go"), Place::Tests);
        assert_eq!(Place::of("web/src/login.spec.ts"), Place::Tests);
        assert_eq!(
            Place::of("src/test/java/AuthServiceTest.java"),
            Place::Tests
        );
        assert_eq!(Place::of("pkg/testdata/config.yaml"), Place::Tests);
        assert_eq!(Place::of("docs/en/setup.md"), Place::Docs);
        assert_eq!(Place::of("README.rst"), Place::Docs);
        assert_eq!(Place::of("src/auth/config.py"), Place::Source);
        assert_eq!(Place::of("src/latest.py"), Place::Source);
        assert_eq!(Place::of("contest/main.go"), Place::Source);
        assert_eq!(Place::of("data/iam/examples-1.json"), Place::Docs);
        assert_eq!(Place::of(".env.example"), Place::Docs);
        assert_eq!(Place::of("conf/app.sample.yml"), Place::Docs);
        assert_eq!(Place::of("src/example.py"), Place::Docs);
        assert_eq!(Place::of("src/examplesite/settings.py"), Place::Source);
        assert_eq!(Place::of("src/counterexample.py"), Place::Source);
        assert_eq!(Place::of("src/sampler.py"), Place::Source);
    }

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
