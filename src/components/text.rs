use std::ops::Range;

use yew::prelude::*;

use crate::i18n;

/// Where the figure starting at `start` ends, if one starts there: an optional sign, 約 and ¥,
/// digits with their separators, and a unit.
fn figure_end(chars: &[char], start: usize) -> Option<usize> {
    let at = |i: usize| chars.get(i).copied();
    let mut i = start;
    if matches!(at(i), Some('-' | '+' | '−')) {
        i += 1;
    }
    if at(i) == Some(i18n::ABOUT) && at(i + 1) == Some('¥') {
        i += 1;
    }
    if at(i) == Some('¥') {
        i += 1;
    }
    let digits = i;
    while let Some(c) = at(i) {
        let separator = matches!(c, ',' | '.') && at(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_digit() || (separator && i > digits) {
            i += 1;
        } else {
            break;
        }
    }
    if i == digits {
        return None;
    }
    for suffix in i18n::FIGURE_UNITS {
        let s: Vec<char> = suffix.chars().collect();
        if chars.get(i..i + s.len()) == Some(&s[..]) {
            i += s.len();
            break;
        }
    }
    Some(i)
}

/// Where the figures of `text` are, as byte ranges in order: each ¥ amount, percentage or
/// signed figure that does not start inside a word.
fn figure_spans(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let after_word = i > 0 && chars[i - 1].is_ascii_alphanumeric();
        match (!after_word).then(|| figure_end(&chars, i)).flatten() {
            Some(end) => {
                spans.push(bytes[i]..bytes[end]);
                i = end;
            }
            None => i += 1,
        }
    }
    spans
}

/// A sentence whose figures never break across lines: each ¥ amount, percentage or signed
/// figure is kept whole in a `<span class="num">`, the words around it wrap as usual.
pub fn whole_figures(text: &str) -> Html {
    let mut parts: Vec<Html> = Vec::new();
    let mut plain = 0;
    for span in figure_spans(text) {
        if span.start > plain {
            parts.push(html! { { text[plain..span.start].to_string() } });
        }
        plain = span.end;
        parts.push(html! { <span class="num">{ text[span].to_string() }</span> });
    }
    if plain < text.len() {
        parts.push(html! { { text[plain..].to_string() } });
    }
    html! { <>{ for parts }</> }
}

#[cfg(test)]
mod tests {
    use super::figure_spans;

    fn figures(text: &str) -> Vec<String> {
        figure_spans(text)
            .into_iter()
            .map(|span| text[span].to_string())
            .collect()
    }

    #[test]
    fn figures_are_found_whole() {
        assert_eq!(
            figures("粗利LTV ¥4,500 − CPO ¥5,000 = 1人あたり利益 -¥500"),
            ["¥4,500", "¥5,000", "1人", "-¥500"]
        );
        assert_eq!(figures("CPOがLTVの33.3%: 目安"), ["33.3%"]);
        assert_eq!(figures("回収期間 13.3か月、3倍"), ["13.3か月", "3倍"]);
        assert_eq!(
            figures("約¥1,230,000,000,000,000"),
            ["約¥1,230,000,000,000,000"]
        );
        assert_eq!(
            figures("F2転換"),
            Vec::<String>::new(),
            "a digit inside a word"
        );
    }
}
