//! `.ipynb` notebooks are read as JSON: cell sources and text outputs with
//! their escapes undone, reported at the notebook's own line and column;
//! base64 output data is not judged; broken JSON is scanned as text.

use crate::harness::{fake, TestRepo};

/// A notebook with one markdown cell and one code cell whose source lines and
/// stream output are given (already JSON-escaped).
fn notebook(code: &[&str], stdout: &[&str], png: &str) -> String {
    let lines = |v: &[&str]| {
        v.iter()
            .map(|l| format!("    \"{l}\""))
            .collect::<Vec<_>>()
            .join(",\n")
    };
    format!(
        r##"{{
 "cells": [
  {{
   "cell_type": "markdown",
   "metadata": {{}},
   "source": [
    "# Calling the API\n"
   ]
  }},
  {{
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {{}},
   "outputs": [
    {{
     "name": "stdout",
     "output_type": "stream",
     "text": [
{}
     ]
    }},
    {{
     "data": {{
      "image/png": "{png}",
      "text/plain": [
       "<Figure size 640x480>"
      ]
     }},
     "metadata": {{}},
     "output_type": "display_data"
    }}
   ],
   "source": [
{}
   ]
  }}
 ],
 "metadata": {{"kernelspec": {{"display_name": "Python 3", "name": "python3"}}}},
 "nbformat": 4,
 "nbformat_minor": 5
}}
"##,
        lines(stdout),
        lines(code)
    )
}

/// 1-based line and column of the first `needle` in `text`.
fn place(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |p| p + 1) + 1;
    format!("{line}:{col}")
}

const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg";

#[test]
fn key_in_an_escaped_code_cell_line_is_reported_at_the_notebook_line() {
    let repo = TestRepo::new();
    let key = fake::openai_project();
    let line = format!("os.environ[\\\"OPENAI_API_KEY\\\"] = \\\"{key}\\\"\\n");
    let nb = notebook(
        &["import os\\n", &line, "client = OpenAI()"],
        &["ok\\n"],
        PNG,
    );
    repo.stage("analysis/explore.ipynb", &nb);
    let run = repo.keyhook(&["pre-commit"]);
    run.assert_no_secret(&key);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.locations(),
        [format!("analysis/explore.ipynb:{}", place(&nb, &key))]
    );
    assert_eq!(run.rules(), ["openai.project-key"]);
}

#[test]
fn generic_secret_in_a_code_cell_is_judged_after_unescaping() {
    let repo = TestRepo::new();
    let value = fake::generic_value();
    let line = format!("api_secret = \\\"{value}\\\"\\n");
    let nb = notebook(&[&line], &[], PNG);
    repo.stage("nb.ipynb", &nb);
    let run = repo.keyhook(&["pre-commit"]);
    run.assert_no_secret(&value);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.locations(),
        [format!("nb.ipynb:{}", place(&nb, &value))]
    );
}

#[test]
fn printed_key_in_a_stream_output_blocks() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    let out = format!("token loaded: {key}\\n");
    let nb = notebook(&["print(load())"], &[&out], PNG);
    repo.stage("nb.ipynb", &nb);
    let run = repo.keyhook(&["pre-commit"]);
    run.assert_no_secret(&key);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), [format!("nb.ipynb:{}", place(&nb, &key))]);
}

#[test]
fn base64_image_output_is_not_judged_but_the_same_text_elsewhere_is() {
    // An AWS key id shape sitting in base64 image data is pixels, not a key.
    let id = ["AKIA", "QX7RWT5LZ4NVB3KD"].concat();
    let png = format!("{PNG}/{id}+{PNG}");
    let repo = TestRepo::new();
    repo.stage("plot.ipynb", notebook(&["plot()"], &[], &png));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    // Read as plain JSON, the same file would block: the view is what passes it.
    let plain = TestRepo::new();
    plain.stage("plot.json", notebook(&["plot()"], &[], &png));
    assert_eq!(plain.keyhook(&["pre-commit"]).code, 1);

    // The same bytes in a cell's source are a key.
    let other = TestRepo::new();
    let line = format!("aws_access_key_id = \\\"{id}\\\"");
    let nb = notebook(&[&line], &[], PNG);
    other.stage("plot.ipynb", &nb);
    let run = other.keyhook(&["pre-commit"]);
    run.assert_no_secret(&id);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), [format!("plot.ipynb:{}", place(&nb, &id))]);
}

#[test]
fn only_added_lines_of_a_modified_notebook_count() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    let old_line = format!("token = \\\"{key}\\\"\\n");
    // (The old key's line is not the array's last, which a new line after it
    // would change by adding a comma.)
    let before = notebook(&[&old_line, "x = 1\\n"], &[], PNG);
    repo.stage("nb.ipynb", &before);
    repo.commit("notebook with an old key");
    let after = notebook(&[&old_line, "x = 1\\n", "y = 2\\n"], &["1\\n"], PNG);
    repo.stage("nb.ipynb", &after);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    let key2 = fake::github_pat2();
    let new_line = format!("token2 = \\\"{key2}\\\"\\n");
    let again = notebook(
        &[&old_line, "x = 1\\n", &new_line, "y = 2\\n"],
        &["1\\n"],
        PNG,
    );
    repo.stage("nb.ipynb", &again);
    let run = repo.keyhook(&["pre-commit"]);
    run.assert_no_secret(&key).assert_no_secret(&key2);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.locations(),
        [format!("nb.ipynb:{}", place(&again, &key2))]
    );
}

#[test]
fn a_notebook_that_is_not_json_is_scanned_as_text() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    let text = format!("{{\n \"cells\": [\n  token = \"{key}\"\n");
    repo.stage("broken.ipynb", &text);
    let run = repo.keyhook(&["pre-commit"]);
    run.assert_no_secret(&key);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.locations(),
        [format!("broken.ipynb:{}", place(&text, &key))]
    );
}

#[test]
fn tree_and_history_scans_read_notebooks_the_same_way() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    let out = format!("{key}\\n");
    let nb = notebook(&["print(t)"], &[&out], PNG);
    repo.stage("nb.ipynb", &nb);
    repo.commit("add notebook");
    let want = [format!("nb.ipynb:{}", place(&nb, &key))];
    let tree = repo.keyhook(&["scan"]);
    tree.assert_no_secret(&key);
    assert_eq!((tree.code, tree.locations()), (1, want.to_vec()));
    let history = repo.keyhook(&["scan", "--history"]);
    history.assert_no_secret(&key);
    assert_eq!(history.code, 1, "{}", history.stderr);
    assert!(
        history.locations()[0].starts_with(&want[0]),
        "{}",
        history.stderr
    );
}
