//! Unit tests of the generic judgement, by what they judge.

mod credentials;
mod names;
mod values;

use super::*;

/// Judges `value` in `line`, the match starting at `name`.
fn judged(line: &str, name: &str, value: &str, file: FileKind) -> Result<usize, &'static str> {
    let start = line.find(name).expect("name in line");
    let at = start + line[start..].find(value).expect("value in line");
    let c = Candidate {
        line: line.as_bytes(),
        start,
        value: at..at + value.len(),
        file,
    };
    judge(&c, &GenericPolicy::default())
}

fn reported(line: &str, name: &str, value: &str, file: FileKind) -> bool {
    judged(line, name, value, file).is_ok()
}

/// `template` with its `{}` replaced by `parts` joined: positive test values
/// are assembled at run time, so keyhook's own hook does not flag this file.
fn fill(template: &str, parts: &[&str]) -> (String, String) {
    let value = parts.concat();
    (template.replace("{}", &value), value)
}
