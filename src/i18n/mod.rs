//! Every word the UI shows, in one place (Japanese first; English can be added beside it),
//! split by page: [`common`] (both pages), [`diagnosis`] (診断), [`csv_import`] (reading a
//! file), [`analysis`] (the CSV analysis) and [`prediction`] (予測LTV).
//!
//! Every entry is re-exported here, so a view says `i18n::NAME` whichever file holds it.
//! Figures are formatted by the core's formatters; these modules only put them into sentences.
//! The core returns enums and numbers; its own text is limited to error and warning messages
//! and the fixed text of the files it writes.

pub mod analysis;
pub mod common;
pub mod csv_import;
pub mod diagnosis;
pub mod prediction;

pub use analysis::*;
pub use common::*;
pub use csv_import::*;
pub use diagnosis::*;
pub use prediction::*;

/// Checks on the app's own source: no Japanese outside `src/i18n/`, and no entry unused.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::path::{Path, PathBuf};

    /// A piece of Rust source: code, or a string or character literal. Comments are dropped.
    #[derive(Debug, PartialEq)]
    enum Piece {
        Code(String),
        Literal(String),
    }

    /// Splits Rust source into code and literals, without its comments, each piece with the
    /// line it starts on. Enough Rust for this check: `//` and nested `/* */` comments, strings
    /// with escapes, raw strings (`r"…"`, `r#"…"#`), byte strings, and character literals told
    /// from lifetimes.
    fn pieces(source: &str) -> Vec<(usize, Piece)> {
        let chars: Vec<char> = source.chars().collect();
        let mut out = Vec::new();
        let mut code = String::new();
        let (mut i, mut line, mut code_line) = (0, 1, 1);
        let at = |i: usize| chars.get(i).copied();
        let flush = |code: &mut String, out: &mut Vec<(usize, Piece)>, at_line: usize| {
            if !code.is_empty() {
                out.push((at_line, Piece::Code(std::mem::take(code))));
            }
        };
        while let Some(c) = at(i) {
            let next = at(i + 1);
            if c == '/' && next == Some('/') {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
            } else if c == '/' && next == Some('*') {
                let mut depth = 0;
                while let Some(c) = at(i) {
                    match (c, at(i + 1)) {
                        ('/', Some('*')) => (depth, i) = (depth + 1, i + 2),
                        ('*', Some('/')) => (depth, i) = (depth - 1, i + 2),
                        ('\n', _) => (line, i) = (line + 1, i + 1),
                        _ => i += 1,
                    }
                    if depth == 0 {
                        break;
                    }
                }
            } else if c == '"' || (matches!(c, 'r' | 'b') && starts_raw_or_byte(&chars, i)) {
                flush(&mut code, &mut out, code_line);
                let start_line = line;
                let mut text = String::new();
                // Prefix letters, then the hashes of a raw string.
                let mut raw = false;
                while let Some(p @ ('r' | 'b')) = at(i) {
                    raw |= p == 'r';
                    i += 1;
                }
                let mut hashes = 0;
                while at(i) == Some('#') {
                    hashes += 1;
                    i += 1;
                }
                i += 1; // the opening quote
                while let Some(c) = at(i) {
                    if c == '\\' && !raw {
                        text.push(c);
                        if let Some(e) = at(i + 1) {
                            text.push(e);
                        }
                        i += 2;
                        continue;
                    }
                    if c == '"' && (0..hashes).all(|k| at(i + 1 + k) == Some('#')) {
                        i += 1 + hashes;
                        break;
                    }
                    if c == '\n' {
                        line += 1;
                    }
                    text.push(c);
                    i += 1;
                }
                out.push((start_line, Piece::Literal(text)));
                code_line = line;
            } else if c == '\'' && (next == Some('\\') || at(i + 2) == Some('\'')) {
                flush(&mut code, &mut out, code_line);
                let mut end = if next == Some('\\') { i + 3 } else { i + 2 };
                while at(end).is_some_and(|c| c != '\'') {
                    end += 1;
                }
                out.push((line, Piece::Literal(chars[i + 1..end].iter().collect())));
                i = end + 1;
                code_line = line;
            } else {
                if code.is_empty() {
                    code_line = line;
                }
                if c == '\n' {
                    line += 1;
                }
                code.push(c);
                i += 1;
            }
        }
        flush(&mut code, &mut out, code_line);
        out
    }

    /// Whether a string literal with a prefix (`r"`, `r#"`, `b"`, `br"`) starts at `i`, and
    /// not an identifier that merely begins with r or b.
    fn starts_raw_or_byte(chars: &[char], i: usize) -> bool {
        if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
            return false;
        }
        let mut j = i;
        while j < chars.len() && matches!(chars[j], 'r' | 'b') && j - i < 2 {
            j += 1;
        }
        while j < chars.len() && chars[j] == '#' {
            j += 1;
        }
        chars.get(j) == Some(&'"')
    }

    /// The pieces outside `#[cfg(test)]` items: a test may well type Japanese, as a user would.
    fn outside_tests(pieces: Vec<(usize, Piece)>) -> Vec<(usize, Piece)> {
        let mut out = Vec::new();
        let (mut pending, mut skipping, mut depth) = (false, false, 0usize);
        for (line, piece) in pieces {
            let Piece::Code(code) = &piece else {
                if !skipping {
                    out.push((line, piece));
                }
                continue;
            };
            let mut kept = String::new();
            let mut rest = code.as_str();
            while !rest.is_empty() {
                if !skipping && rest.starts_with("#[cfg(test)]") {
                    pending = true;
                    rest = &rest["#[cfg(test)]".len()..];
                    continue;
                }
                let c = rest.chars().next().unwrap_or_default();
                rest = &rest[c.len_utf8()..];
                match c {
                    '{' if pending => (pending, skipping, depth) = (false, true, 1),
                    ';' if pending => pending = false,
                    '{' if skipping => depth += 1,
                    '}' if skipping => {
                        depth -= 1;
                        skipping = depth > 0;
                    }
                    _ if skipping || pending => {}
                    _ => kept.push(c),
                }
            }
            if !kept.is_empty() {
                out.push((line, Piece::Code(kept)));
            }
        }
        out
    }

    fn is_japanese(c: char) -> bool {
        matches!(c,
            '\u{3040}'..='\u{309F}' // Hiragana
            | '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' // Katakana
            | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' // Han
            | '\u{3000}'..='\u{303F}' // 、。「」〜 and the ideographic space
            | '\u{FF01}'..='\u{FF65}' // full-width （）：？ and the like
        )
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }

    fn src() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn the_checker_reads_rust() {
        let source = "let a = \"注文\"; // 注文\n/* 注文 /* 注文 */ */ let b = r#\"「\"x\"」\"#;\n\
                      fn f<'a>(x: &'a str) -> char { '約' }\n\
                      #[cfg(test)]\nmod tests { fn t() { let s = \"{ 注文\"; } }\nlet c = '\\'';";
        let kept: Vec<(usize, String)> = outside_tests(pieces(source))
            .into_iter()
            .filter_map(|(line, p)| match p {
                Piece::Literal(text) => Some((line, text)),
                Piece::Code(_) => None,
            })
            .collect();
        let want = [(1, "注文"), (2, "「\"x\"」"), (3, "約"), (6, "\\'")];
        assert_eq!(kept, want.map(|(l, t)| (l, t.to_string())));
    }

    /// The words of a view are in `src/i18n/`: a view that writes Japanese (or Japanese
    /// punctuation) in its own code fails here. Comments and `#[cfg(test)]` modules may.
    #[test]
    fn no_japanese_in_a_view() {
        let mut files = Vec::new();
        rust_files(&src().join("pages"), &mut files);
        rust_files(&src().join("components"), &mut files);
        files.push(src().join("app.rs"));
        assert!(files.len() > 20, "the views were not found: {files:?}");
        let mut found = Vec::new();
        for path in &files {
            for (line, piece) in outside_tests(pieces(&read(path))) {
                let (Piece::Code(text) | Piece::Literal(text)) = piece;
                if text.chars().any(is_japanese) {
                    let shown = path.strip_prefix(src()).unwrap_or(path).display();
                    found.push(format!("src/{shown}:{line}: {}", text.trim()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "Japanese in a view; put it in src/i18n/:\n{}",
            found.join("\n")
        );
    }

    /// Every entry of `src/i18n/` is used somewhere in `src/` besides its definition.
    #[test]
    fn every_entry_is_used() {
        let mut files = Vec::new();
        rust_files(&src(), &mut files);
        let code: Vec<(PathBuf, String)> = files
            .iter()
            .map(|path| {
                // Code, and the names a format string uses inline: `"{F2_DEFINITION}"`.
                let text: Vec<String> = pieces(&read(path))
                    .into_iter()
                    .map(|(_, p)| match p {
                        Piece::Code(code) => code,
                        Piece::Literal(text) => text
                            .split('{')
                            .skip(1)
                            .map(|s| {
                                let name: String = s
                                    .chars()
                                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                                    .collect();
                                format!(" {name} ")
                            })
                            .collect(),
                    })
                    .collect();
                let text = text.join("");
                (path.clone(), text)
            })
            .collect();
        let words = |text: &str, name: &str| {
            text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| *w == name)
                .count()
        };
        let mut unused = Vec::new();
        for (path, text) in code
            .iter()
            .filter(|(p, _)| p.starts_with(src().join("i18n")))
        {
            for definition in text.lines().map(str::trim_start) {
                let Some(rest) = ["pub const ", "pub fn ", "pub enum ", "pub struct "]
                    .iter()
                    .find_map(|k| definition.strip_prefix(k))
                else {
                    continue;
                };
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let uses: usize = code.iter().map(|(_, t)| words(t, &name)).sum();
                if uses < 2 {
                    unused.push(format!("{name} ({})", path.display()));
                }
            }
        }
        assert!(unused.is_empty(), "i18n entries nothing uses: {unused:?}");
    }
}
