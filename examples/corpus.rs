//! Accuracy benchmark: runs keyhook's scanner over a labelled JSONL corpus
//! (see `shared/corpus/README.md`) and prints recall, false-positive rate,
//! precision and F1 per source, never pooled, since the sources mean different
//! things by "secret".
//!
//! Each case's `text` is scanned as the whole content of a file named after its
//! `file_hint` (or `case.txt`), through the same `Pipeline` the hook builds with
//! the default configuration, so path-based checks apply exactly as in the hook.
//! A case counts as reported when keyhook reports anything in that file.
//!
//! ```text
//! cargo run --release --example corpus -- ../shared/corpus/dev.jsonl
//! cargo run --release --example corpus -- FILE --misses creddata
//! cargo run --release --example corpus -- FILE --false-positives secretlint
//! cargo run --release --example corpus -- FILE --confidence medium
//! ```

use anyhow::{bail, Context, Result};
use keyhook::baseline::Baseline;
use keyhook::config::Config;
use keyhook::pipeline::Pipeline;
use keyhook::scan::Added;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Sources in the order the table prints them; others follow alphabetically.
const SOURCES: &[&str] = &["noseyparker", "kingfisher", "secretlint", "creddata"];

/// Characters of a case's text shown in `--misses` / `--false-positives`.
const SHOWN: usize = 110;

/// One labelled case, as a line of the corpus.
#[derive(Debug, Deserialize)]
struct Case {
    id: String,
    source: String,
    #[serde(default)]
    rule_hint: String,
    label: String,
    text: String,
    #[serde(default)]
    file_hint: Option<String>,
    confidence: String,
}

impl Case {
    fn is_secret(&self) -> bool {
        self.label == "secret"
    }

    /// The file name the case is scanned under.
    fn path(&self) -> String {
        match self.file_hint.as_deref().map(str::trim) {
            Some(h) if !h.is_empty() && !h.ends_with('/') => h.to_string(),
            _ => "case.txt".to_string(),
        }
    }
}

/// What to list after the table.
enum Listing {
    None,
    Misses(String),
    FalsePositives(String),
}

struct Args {
    corpus: String,
    confidence: String,
    listing: Listing,
}

fn parse_args() -> Result<Args> {
    let mut corpus = None;
    let mut confidence = "high".to_string();
    let mut listing = Listing::None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .with_context(|| format!("{flag} needs a value (e.g. {flag} creddata)"))
        };
        match a.as_str() {
            "--misses" => listing = Listing::Misses(value("--misses")?),
            "--false-positives" => listing = Listing::FalsePositives(value("--false-positives")?),
            "--confidence" => confidence = value("--confidence")?,
            "-h" | "--help" => {
                println!(
                    "usage: corpus CORPUS.jsonl [--confidence high|medium|low|all] \
                     [--misses SOURCE | --false-positives SOURCE]"
                );
                std::process::exit(0);
            }
            _ if a.starts_with('-') => bail!("unknown option {a} (see --help)"),
            _ if corpus.is_none() => corpus = Some(a),
            _ => bail!("unexpected argument {a} (only one corpus file)"),
        }
    }
    let corpus = corpus.context("no corpus given (pass the path to a .jsonl file)")?;
    Ok(Args {
        corpus,
        confidence,
        listing,
    })
}

/// Confusion counts for one source.
#[derive(Debug, Default)]
struct Tally {
    tp: usize,
    fn_: usize,
    fp: usize,
    tn: usize,
}

impl Tally {
    fn add(&mut self, secret: bool, reported: bool) {
        match (secret, reported) {
            (true, true) => self.tp += 1,
            (true, false) => self.fn_ += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
        }
    }

    fn ratio(num: usize, den: usize) -> Option<f64> {
        (den > 0).then(|| num as f64 / den as f64)
    }

    fn recall(&self) -> Option<f64> {
        Self::ratio(self.tp, self.tp + self.fn_)
    }

    fn fp_rate(&self) -> Option<f64> {
        Self::ratio(self.fp, self.fp + self.tn)
    }

    fn precision(&self) -> Option<f64> {
        Self::ratio(self.tp, self.tp + self.fp)
    }

    fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        (p + r > 0.0).then(|| 2.0 * p * r / (p + r))
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".into(), |x| format!("{:.1}%", x * 100.0))
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let text = std::fs::read_to_string(&args.corpus)
        .with_context(|| format!("{}: cannot read the corpus", args.corpus))?;
    let pipeline = Pipeline::new(&Config::default(), Baseline::default())?;

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut listed: Vec<(Case, Vec<String>)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a corpus case", args.corpus, n + 1))?;
        if args.confidence != "all" && case.confidence != args.confidence {
            continue;
        }
        let path = case.path();
        let rules: Vec<String> = if pipeline.skip.is_match(&path) {
            Vec::new()
        } else {
            pipeline
                .scanner
                .scan_file(&path, case.text.as_bytes(), &Added::All, &pipeline.ctx)
                .findings
                .into_iter()
                .map(|f| format!("{} {}:{} {}", f.rule, f.line, f.column, f.redacted))
                .collect()
        };
        let reported = !rules.is_empty();
        tallies
            .entry(case.source.clone())
            .or_default()
            .add(case.is_secret(), reported);
        let wanted = match &args.listing {
            Listing::None => false,
            Listing::Misses(s) => *s == case.source && case.is_secret() && !reported,
            Listing::FalsePositives(s) => *s == case.source && !case.is_secret() && reported,
        };
        if wanted {
            listed.push((case, rules));
        }
    }

    print_table(&args, &tallies);
    print_listing(&args.listing, &listed);
    Ok(())
}

fn print_table(args: &Args, tallies: &BTreeMap<String, Tally>) {
    println!("{} (confidence: {})", args.corpus, args.confidence);
    println!(
        "{:<12} {:>7} {:>7} {:>8} {:>8} {:>10} {:>6}",
        "source", "secrets", "negs", "recall", "fp-rate", "precision", "F1"
    );
    let mut order: Vec<&String> = tallies.keys().collect();
    order.sort_by_key(|s| {
        (
            SOURCES.iter().position(|k| k == s).unwrap_or(SOURCES.len()),
            s.as_str(),
        )
    });
    for source in order {
        let t = &tallies[source];
        println!(
            "{:<12} {:>7} {:>7} {:>8} {:>8} {:>10} {:>6}",
            source,
            t.tp + t.fn_,
            t.fp + t.tn,
            pct(t.recall()),
            pct(t.fp_rate()),
            pct(t.precision()),
            t.f1().map_or("-".into(), |f| format!("{f:.3}")),
        );
    }
}

fn print_listing(listing: &Listing, listed: &[(Case, Vec<String>)]) {
    let title = match listing {
        Listing::None => return,
        Listing::Misses(s) => format!("{s}: {} missed secrets", listed.len()),
        Listing::FalsePositives(s) => format!("{s}: {} reported non-secrets", listed.len()),
    };
    println!("\n{title}");
    for (case, rules) in listed {
        let flat: String = case
            .text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let shown: String = flat.chars().take(SHOWN).collect();
        let more = if flat.chars().count() > SHOWN {
            "…"
        } else {
            ""
        };
        let count = if rules.is_empty() {
            String::new()
        } else {
            format!(" [{}]", rules.join(", "))
        };
        println!(
            "{}  {}  ({}){count}\n    {shown}{more}",
            case.id,
            case.rule_hint,
            case.path()
        );
    }
}
