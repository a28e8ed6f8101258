//! Splitting a command line into simple commands the way a POSIX shell would:
//! quotes, escapes, `;` `&&` `||` `|` `&`, subshells, `$(...)` and backticks.
//! Command substitutions inside double quotes are handed back as nested
//! command lines for the caller to split again.

/// One simple command: its words and where its output redirections write.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Simple {
    pub(super) words: Vec<String>,
    pub(super) writes: Vec<String>,
}

/// Splits `text` into simple commands. Command substitutions inside double
/// quotes are collected in `nested` (their text runs as its own command line).
pub(super) fn split(text: &str, nested: &mut Vec<String>) -> Vec<Simple> {
    let chars: Vec<char> = text.chars().collect();
    let mut cmds = Vec::new();
    let mut cur = Simple::default();
    let mut word = String::new();
    let mut in_word = false;
    let mut redirect_next = false;
    let mut i = 0;
    let finish_word =
        |word: &mut String, in_word: &mut bool, cur: &mut Simple, redirect_next: &mut bool| {
            if *in_word {
                if *redirect_next {
                    cur.writes.push(std::mem::take(word));
                    *redirect_next = false;
                } else {
                    cur.words.push(std::mem::take(word));
                }
            }
            word.clear();
            *in_word = false;
        };
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' => finish_word(&mut word, &mut in_word, &mut cur, &mut redirect_next),
            '\n' | ';' | '&' | '|' | '(' | ')' | '`' => {
                finish_word(&mut word, &mut in_word, &mut cur, &mut redirect_next);
                // `>&2`, `2>&1`: the `&` belongs to a redirection, not a separator.
                if c == '&' && i > 0 && (chars[i - 1] == '>' || chars[i - 1] == '<') {
                    i += 1;
                    continue;
                }
                if !cur.words.is_empty() || !cur.writes.is_empty() {
                    cmds.push(std::mem::take(&mut cur));
                }
                redirect_next = false;
            }
            '>' | '<' => {
                // A file-descriptor number before the operator is not a word.
                if in_word && word.chars().all(|d| d.is_ascii_digit()) {
                    word.clear();
                    in_word = false;
                }
                finish_word(&mut word, &mut in_word, &mut cur, &mut redirect_next);
                if c == '>' {
                    redirect_next = true;
                    // `>>`, `>|`
                    if matches!(chars.get(i + 1), Some('>') | Some('|')) {
                        i += 1;
                    }
                } else {
                    // An input redirection's target is read, not written: drop it.
                    redirect_next = false;
                    i += 1;
                    while i < chars.len() && chars[i] == ' ' {
                        i += 1;
                    }
                    while i < chars.len() && !" \t\n;&|()".contains(chars[i]) {
                        i += 1;
                    }
                    continue;
                }
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '\\' => {
                in_word = true;
                if let Some(&n) = chars.get(i + 1) {
                    if n != '\n' {
                        word.push(n);
                    }
                    i += 1;
                }
            }
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    word.push(chars[i]);
                    i += 1;
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    match chars[i] {
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            word.push(chars[i + 1]);
                            i += 1;
                        }
                        '$' if chars.get(i + 1) == Some(&'(') => {
                            let end = matching_paren(&chars, i + 1);
                            nested.push(chars[i + 2..end].iter().collect());
                            word.extend(&chars[i..(end + 1).min(chars.len())]);
                            i = end;
                        }
                        '`' => {
                            let end = chars[i + 1..]
                                .iter()
                                .position(|&c| c == '`')
                                .map_or(chars.len(), |p| i + 1 + p);
                            nested.push(chars[i + 1..end].iter().collect());
                            i = end;
                        }
                        ch => word.push(ch),
                    }
                    i += 1;
                }
            }
            '$' if chars.get(i + 1) == Some(&'(') => {
                // `$(` opens a subshell: a command boundary, like `(`.
                finish_word(&mut word, &mut in_word, &mut cur, &mut redirect_next);
                if !cur.words.is_empty() {
                    cmds.push(std::mem::take(&mut cur));
                }
                i += 1;
            }
            '$' if chars.get(i + 1) == Some(&'\'') => {
                // ANSI-C quoting: close enough to single quotes for judging words.
                in_word = true;
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    word.push(chars[i]);
                    i += 1;
                }
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
        i += 1;
    }
    finish_word(&mut word, &mut in_word, &mut cur, &mut redirect_next);
    if !cur.words.is_empty() || !cur.writes.is_empty() {
        cmds.push(cur);
    }
    cmds
}

/// Index of the `)` closing the `(` at `open` (or the end of the text).
fn matching_paren(chars: &[char], open: usize) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (j, &c) in chars.iter().enumerate().skip(open) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    chars.len()
}
