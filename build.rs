//! Compiles `rules/*.toml` into the binary at build time: every file is parsed
//! and validated here (a broken built-in rule fails the build, naming the file
//! and rule), then emitted as static data. The hook therefore parses no TOML and
//! validates no pattern on each commit, and no rule file can be left out.

#[path = "src/rules/schema.rs"]
#[allow(dead_code)]
mod schema;

use serde::Deserialize;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/rules/schema.rs");
    let mut files: Vec<_> = fs::read_dir("rules")
        .expect("rules/ directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();

    let mut names = Vec::new();
    let mut rules = String::new();
    let mut ids = HashSet::new();
    let mut count = 0usize;
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(path).expect("read rule file");
        let file: schema::RawFile = toml::from_str(&text).unwrap_or_else(|e| {
            let line = e
                .span()
                .map_or(1, |s| text[..s.start].matches('\n').count() + 1);
            panic!("rules/{name}:{line}: {}", e.message())
        });
        for r in &file.rule {
            if let Err(e) = schema::validate(r) {
                panic!("rules/{name}: {e}");
            }
            if !ids.insert(r.id.clone()) {
                panic!("rules/{name}: rule {}: duplicate rule id", r.id);
            }
            emit(&mut rules, r);
            count += 1;
        }
        names.push(name);
    }

    let mut out = String::new();
    writeln!(out, "/// Names of the embedded rule files, sorted.").unwrap();
    writeln!(out, "pub static RULE_FILES: &[&str] = &{names:?};").unwrap();
    writeln!(out, "/// Every built-in rule, validated at build time.").unwrap();
    writeln!(out, "static BUILTIN: [Rule; {count}] = [\n{rules}];").unwrap();
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_rules.rs");
    fs::write(dest, out).expect("write embedded_rules.rs");
    ai_files();
    words();
}

/// `src/scan/words.txt` as a sorted static array: the generic judgement looks
/// words up by binary search, so no set of 12,000 words is built per commit.
fn words() {
    const SRC: &str = "src/scan/words.txt";
    // Common words of other languages, kept by hand beside the generated list.
    const INTL: &str = "src/scan/words_intl.txt";
    println!("cargo:rerun-if-changed={SRC}");
    println!("cargo:rerun-if-changed={INTL}");
    let text = fs::read_to_string(SRC).expect("read words.txt")
        + "\n"
        + &fs::read_to_string(INTL).expect("read words_intl.txt");
    let mut words: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect();
    for w in &words {
        if !w
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            panic!("{SRC}: {w:?}: words are lowercase ASCII letters, digits and _");
        }
    }
    words.sort_unstable();
    words.dedup();
    // One string and end offsets, not an array of `&str`: 12,000 pointers would
    // be 12,000 relocations the dynamic loader applies on every start.
    let mut ends = Vec::with_capacity(words.len());
    let mut blob = String::new();
    for w in &words {
        blob.push_str(w);
        ends.push(blob.len() as u32);
    }
    let out = format!(
        "/// The vocabulary, sorted (bytes order), concatenated.\nstatic WORDS: &str = {blob:?};\n\
         /// Where each word of `WORDS` ends.\nstatic WORD_ENDS: [u32; {}] = {ends:?};\n",
        ends.len()
    );
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_words.rs");
    fs::write(dest, out).expect("write embedded_words.rs");
}

/// `src/detect/ai_files.toml`: the catalogue of AI tool files.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AiFiles {
    #[serde(default)]
    transcript: Vec<AiEntry>,
    #[serde(default)]
    agent_config: Vec<AiEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AiEntry {
    tool: String,
    #[serde(default)]
    kind: String,
    globs: Vec<String>,
}

/// Parses the AI-file catalogue into a static table for `detect::transcripts`.
fn ai_files() {
    const SRC: &str = "src/detect/ai_files.toml";
    println!("cargo:rerun-if-changed={SRC}");
    let text = fs::read_to_string(SRC).expect("read ai_files.toml");
    let data: AiFiles = toml::from_str(&text).unwrap_or_else(|e| {
        let line = e
            .span()
            .map_or(1, |s| text[..s.start].matches('\n').count() + 1);
        panic!("{SRC}:{line}: {}", e.message())
    });
    let mut out = String::from("/// The built-in AI tool files: (tool, kind, role, globs).\n");
    out.push_str("static BUILTIN: &[(&str, &str, Role, &[&str])] = &[\n");
    for (entries, role) in [
        (&data.transcript, "Transcript"),
        (&data.agent_config, "AgentConfig"),
    ] {
        for e in entries {
            if e.globs.is_empty() {
                panic!("{SRC}: {}: no globs", e.tool);
            }
            writeln!(
                out,
                "    ({:?}, {:?}, Role::{role}, &{:?}),",
                e.tool, e.kind, e.globs
            )
            .unwrap();
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_ai_files.rs");
    fs::write(dest, out).expect("write embedded_ai_files.rs");
}

fn emit(out: &mut String, r: &schema::RawRule) {
    let kind = match r.kind {
        schema::RuleKind::Format => "RuleKind::Format",
        schema::RuleKind::Generic => "RuleKind::Generic",
    };
    let fix = match &r.fix {
        Some(v) => format!("Some({v:?})"),
        None => "None".into(),
    };
    let entropy = match r.min_entropy {
        Some(v) => format!("Some({v:?})"),
        None => "None".into(),
    };
    writeln!(
        out,
        "    Rule {{ id: {:?}, name: {:?}, keywords: &{:?}, pattern: {:?}, min_entropy: {entropy}, \
         description: {:?}, fix: {fix}, kind: {kind}, priority: {}, multiline: {}, examples: &{:?}, \
         negative_examples: &{:?}, compiled: OnceLock::new() }},",
        r.id, r.name, r.keywords, r.pattern, r.description, r.priority, r.multiline, r.examples, r.negative_examples
    )
    .unwrap();
}
