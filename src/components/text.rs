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

/// A sentence whose figures never break across lines: each ¥ amount, percentage or signed
/// figure is kept whole in a `<span class="num">`, the words around it wrap as usual.
pub fn whole_figures(text: &str) -> Html {
    let chars: Vec<char> = text.chars().collect();
    let mut parts: Vec<Html> = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        let after_word = i > 0 && (chars[i - 1].is_ascii_alphanumeric());
        match (!after_word).then(|| figure_end(&chars, i)).flatten() {
            Some(end) => {
                if !plain.is_empty() {
                    parts.push(html! { { std::mem::take(&mut plain) } });
                }
                let figure: String = chars[i..end].iter().collect();
                parts.push(html! { <span class="num">{ figure }</span> });
                i = end;
            }
            None => {
                plain.push(chars[i]);
                i += 1;
            }
        }
    }
    if !plain.is_empty() {
        parts.push(html! { { plain } });
    }
    html! { <>{ for parts }</> }
}

#[cfg(test)]
mod tests {
    use super::figure_end;

    fn figures(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let after_word = i > 0 && chars[i - 1].is_ascii_alphanumeric();
            match (!after_word).then(|| figure_end(&chars, i)).flatten() {
                Some(end) => {
                    out.push(chars[i..end].iter().collect());
                    i = end;
                }
                None => i += 1,
            }
        }
        out
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
