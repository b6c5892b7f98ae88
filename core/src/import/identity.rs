//! 名寄せ: one customer, one ID. Spellings of the same email or ID are merged into one
//! canonical key; names are never used.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The canonical form of a customer key.
///
/// Unicode NFKC (full-width letters, digits, `＠` and spaces become ASCII), then trimmed.
/// An email (anything with `@` after NFKC) is also lower-cased and loses any whitespace
/// inside, which no address can contain (the jp-sample's variants differ by case, width and
/// stray spaces). An ID keeps its case: `A12` and `a12` may be different members.
///
/// # Examples
/// ```
/// use ltv_core::import::canonical_key;
/// assert_eq!(canonical_key("  Taro.Yamada@Example.JP "), "taro.yamada@example.jp");
/// assert_eq!(canonical_key("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"), "taro@example.jp");
/// assert_eq!(canonical_key("taro @ example.jp"), "taro@example.jp");
/// assert_eq!(canonical_key("　Ａ００１２　"), "A0012");
/// // Near-identical addresses stay different customers.
/// assert_ne!(canonical_key("taro.yamada@example.jp"), canonical_key("taroyamada@example.jp"));
/// ```
pub fn canonical_key(raw: &str) -> String {
    let folded: String = raw.nfkc().collect();
    let trimmed = folded.trim();
    if trimmed.contains('@') {
        trimmed
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    } else {
        trimmed.to_string()
    }
}

/// Interns customer keys: each distinct raw spelling is normalised once, and each canonical
/// key gets a dense id in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct KeyInterner {
    raw_to_id: HashMap<String, u32>,
    canonical_to_id: HashMap<String, u32>,
    /// Canonical key of each id.
    pub(crate) canonical: Vec<String>,
    /// Raw spellings in order of first appearance, with their canonical id.
    pub(crate) raw: Vec<(String, u32)>,
}

impl KeyInterner {
    /// The raw-spelling index of a key (normalising it the first time it is seen). Returns
    /// `None` when the key is blank after normalisation.
    pub(crate) fn intern(&mut self, raw: &str) -> Option<u32> {
        if let Some(&raw_id) = self.raw_to_id.get(raw) {
            return Some(raw_id);
        }
        let canonical = canonical_key(raw);
        if canonical.is_empty() {
            return None;
        }
        let next = self.canonical.len() as u32;
        let id = *self
            .canonical_to_id
            .entry(canonical.clone())
            .or_insert(next);
        if id == next {
            self.canonical.push(canonical);
        }
        let raw_id = self.raw.len() as u32;
        self.raw.push((raw.to_string(), id));
        self.raw_to_id.insert(raw.to_string(), raw_id);
        Some(raw_id)
    }

    /// The canonical id of a raw-spelling index.
    pub(crate) fn canonical_of(&self, raw_id: u32) -> u32 {
        self.raw[raw_id as usize].1
    }
}

/// One merged customer, for the report: the raw spellings that became one key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergeExample {
    /// The canonical key the customer is known by.
    pub canonical: String,
    /// The spellings found in the file, as written (spaces kept).
    pub spellings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalise() {
        let cases: &[(&str, &str)] = &[
            ("taro@example.jp", "taro@example.jp"),
            (
                "  akemi.goto@Mobile.example.ne.jp",
                "akemi.goto@mobile.example.ne.jp",
            ),
            (" tanaka_k94@example.net ", "tanaka_k94@example.net"),
            ("ＴＡＮＡＫＡ＠ＥＸＡＭＰＬＥ．ＮＥＴ", "tanaka@example.net"),
            ("\u{3000}mai@example.jp\u{3000}", "mai@example.jp"),
            ("mai @example.jp", "mai@example.jp"),
            ("C-0012", "C-0012"),
            ("ｃ－００１２", "c-0012"),
            ("Abc", "Abc"),
            ("   ", ""),
            ("", ""),
        ];
        for &(raw, canonical) in cases {
            assert_eq!(canonical_key(raw), canonical, "{raw:?}");
        }
    }

    #[test]
    fn interner_merges_spellings_once() {
        let mut keys = KeyInterner::default();
        let a = keys.intern("Taro@Example.jp").unwrap();
        let b = keys.intern(" taro@example.jp").unwrap();
        let c = keys.intern("Taro@Example.jp").unwrap();
        let d = keys.intern("taroyamada@example.jp").unwrap();
        assert_eq!(a, c);
        assert_ne!(a, b);
        assert_eq!(keys.canonical_of(a), keys.canonical_of(b));
        assert_ne!(keys.canonical_of(a), keys.canonical_of(d));
        assert_eq!(keys.raw.len(), 3);
        assert_eq!(
            keys.canonical,
            vec!["taro@example.jp", "taroyamada@example.jp"]
        );
        assert_eq!(keys.intern("  "), None);
    }
}
