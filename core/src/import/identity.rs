//! 名寄せ: one customer, one ID. Spellings of the same email or ID are merged into one
//! canonical key; names are never used.

use std::borrow::Cow;
use std::hash::Hasher;

use hashbrown::HashTable;

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
    canonical_key_cow(raw).into_owned()
}

/// [`canonical_key`] without a copy when the key is already canonical (most are).
pub(crate) fn canonical_key_cow(raw: &str) -> Cow<'_, str> {
    // NFKC leaves ASCII as it is: skip it for the common plain keys.
    if raw.is_ascii() {
        let trimmed = raw.trim();
        let is_email = trimmed.contains('@');
        if !is_email
            || !trimmed
                .bytes()
                .any(|b| b.is_ascii_uppercase() || b.is_ascii_whitespace())
        {
            return Cow::Borrowed(trimmed);
        }
    }
    let folded: Cow<'_, str> = if raw.is_ascii() {
        Cow::Borrowed(raw)
    } else {
        Cow::Owned(raw.nfkc().collect())
    };
    let trimmed = folded.trim();
    if trimmed.contains('@') {
        let mut key = String::with_capacity(trimmed.len());
        for c in trimmed.chars().filter(|c| !c.is_whitespace()) {
            key.extend(c.to_lowercase());
        }
        Cow::Owned(key)
    } else {
        Cow::Owned(trimmed.to_string())
    }
}

/// A fast non-cryptographic hasher (the Fx hash of rustc) for the interning maps: the keys
/// are the user's own data in their own browser, so hash flooding is no concern, and the
/// standard SipHash dominated the time spent per row.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The 64-bit hash of a string (Fx, then a murmur finaliser so every bit is mixed).
fn hash_bytes(text: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(text);
    hasher.add(text.len() as u64);
    let mut h = hasher.finish();
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Interns strings into dense ids without one allocation per string: the texts live in one
/// arena, and a hash table of [`Slot`]s finds them. A short text (most order numbers and
/// customer IDs) is kept in its slot too, so that a lookup touches one slot and not the
/// arena: on a million rows the lookups are cache misses, and this halves them.
#[derive(Debug, Default)]
pub(crate) struct StrInterner {
    arena: String,
    spans: Vec<(u32, u32)>,
    table: HashTable<Slot>,
}

/// Texts up to this many bytes are compared in their slot.
const INLINE: usize = 20;

/// The text of a slot: from the slot itself when short, else from the arena.
fn slot_text<'t>(arena: &'t str, spans: &[(u32, u32)], slot: &'t Slot) -> &'t [u8] {
    let len = slot.len as usize;
    if len <= INLINE {
        &slot.inline[..len]
    } else {
        let (start, len) = spans[slot.id as usize];
        &arena.as_bytes()[start as usize..(start + len) as usize]
    }
}

/// One interned text in the hash table: 32 bytes, two to a cache line. Its hash is not
/// kept: the table is sized before use, and a rare growth hashes the texts again.
#[derive(Debug, Clone, Copy)]
struct Slot {
    id: u32,
    len: u32,
    /// A value the caller keeps with the text (the canonical id of a customer key), here so
    /// that reading it costs no second cache miss.
    value: u32,
    /// The text's first bytes (all of it when it is at most [`INLINE`] bytes).
    inline: [u8; INLINE],
}

impl StrInterner {
    /// Room for about `n` distinct strings.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.reserve_table(n);
        self.spans.reserve(n);
    }

    /// Room in the hash table for about `n` more strings.
    fn reserve_table(&mut self, n: usize) {
        let (arena, spans) = (&self.arena, &self.spans);
        self.table
            .reserve(n, |slot| hash_bytes(slot_text(arena, spans, slot)));
    }

    /// The id of `text`, adding it the first time.
    pub(crate) fn intern(&mut self, text: &str) -> u32 {
        self.lookup_or_add(text).0
    }

    /// The id of `text` and whether it was added now.
    pub(crate) fn lookup_or_add(&mut self, text: &str) -> (u32, bool) {
        let mut added = false;
        let (id, _) = self.lookup_or_add_with(text, |_| {
            added = true;
            0
        });
        (id, added)
    }

    /// The id of `text` and the value kept with it, which `value_of` gives the first time.
    pub(crate) fn lookup_or_add_with(
        &mut self,
        text: &str,
        value_of: impl FnOnce(&str) -> u32,
    ) -> (u32, u32) {
        let bytes = text.as_bytes();
        let hash = hash_bytes(bytes);
        let (arena, spans) = (&self.arena, &self.spans);
        let found = self.table.find(hash, |slot| {
            slot.len as usize == bytes.len() && slot_text(arena, spans, slot) == bytes
        });
        if let Some(slot) = found {
            return (slot.id, slot.value);
        }
        let value = value_of(text);
        let id = self.push(text);
        let mut inline = [0u8; INLINE];
        let n = bytes.len().min(INLINE);
        inline[..n].copy_from_slice(&bytes[..n]);
        let (arena, spans) = (&self.arena, &self.spans);
        self.table.insert_unique(
            hash,
            Slot {
                id,
                len: bytes.len() as u32,
                value,
                inline,
            },
            |slot| hash_bytes(slot_text(arena, spans, slot)),
        );
        (id, value)
    }

    /// Adds `text` under a new id without entering it in the hash table: for a text that is
    /// never looked up there (a numbered key, found by its number).
    fn push(&mut self, text: &str) -> u32 {
        let start = self.arena.len() as u32;
        self.arena.push_str(text);
        self.spans.push((start, text.len() as u32));
        (self.spans.len() - 1) as u32
    }

    /// The text of an id.
    pub(crate) fn get(&self, id: u32) -> &str {
        let (start, len) = self.spans[id as usize];
        &self.arena[start as usize..(start + len) as usize]
    }

    /// Number of distinct strings.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// The texts by id, without the hash table: to be interned again elsewhere.
    pub(crate) fn into_texts(self) -> Texts {
        Texts {
            arena: self.arena,
            spans: self.spans,
        }
    }
}

/// Texts by id, in one arena (a [`StrInterner`]'s, without its hash table).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Texts {
    arena: String,
    spans: Vec<(u32, u32)>,
}

impl Texts {
    /// The text of an id.
    pub(crate) fn get(&self, id: u32) -> &str {
        let (start, len) = self.spans[id as usize];
        &self.arena[start as usize..(start + len) as usize]
    }

    /// Number of texts.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }
}

/// Interns customer keys: each distinct raw spelling is normalised once, and each canonical
/// key gets a dense id in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct KeyInterner {
    /// Raw spellings in order of first appearance.
    raw: StrInterner,
    /// Canonical id of each raw spelling ([`u32::MAX`]: blank after normalisation).
    raw_canonical: Vec<u32>,
    /// The canonical keys, by id.
    canonical: StrInterner,
    /// The raw-spelling index and canonical id of keys of the file's numbered form, by
    /// number: such keys are never entered in the hash tables.
    numbered: NumberedKeys,
    /// Room the hash tables are given when the first key that is not numbered comes: a file
    /// of numbered keys alone never needs them.
    table_room: usize,
    /// Numbered keys are handed out as stand-ins ([`KeyInterner::defer_numbered`]).
    deferring: bool,
    /// The largest number handed out as a stand-in, plus one (0: none).
    pending_len: usize,
}

/// Keys, some of them stand-ins for numbered keys ([`KeyInterner::settle`]).
pub(crate) trait KeySeq {
    /// Calls `visit` on every key, in the order they were interned; the same keys in the
    /// same order each time.
    fn each(&mut self, visit: impl FnMut(&mut u32));
}

/// Most shops number their customers: `C058628`, `12345`, one prefix and a fixed count of
/// digits. Such a key is found by its number in a flat array, one read, where the hash table
/// costs two cache misses among megabytes of slots (the rows come in date order, so every
/// lookup lands somewhere new). The form is the first such key's; a prefix and a digit count
/// fixed, the text and the number determine each other, so the array holds exactly what the
/// table would answer. Other keys, and numbers beyond [`NUMBERED_LIMIT`], take the table.
///
/// A numbered key is its own canonical key (ASCII letters, `-`, `_` and digits only), and a
/// canonical key of the form (`Ｃ０５８６２８` folds to `C058628`) is found by its number too,
/// so neither kind ever enters a hash table: a file of numbered keys leaves both empty.
///
/// A number's raw-spelling index and canonical id sit side by side ([`RAW`], [`CANONICAL`]):
/// a key seen for the first time looks both up, and they share a cache line.
#[derive(Debug, Default)]
struct NumberedKeys {
    /// The prefix's bytes and length, and the digit count; `None` until a key has the form.
    form: Option<([u8; NUMBERED_PREFIX], usize, usize)>,
    /// By number: the raw-spelling index and the canonical id ([`u32::MAX`]: not seen yet).
    ids: Vec<[u32; 2]>,
}

/// Where [`NumberedKeys`] keeps a number's raw-spelling index.
const RAW: usize = 0;
/// Where [`NumberedKeys`] keeps a number's canonical id.
const CANONICAL: usize = 1;

/// Longest prefix of a numbered key (letters, `-` or `_`).
const NUMBERED_PREFIX: usize = 8;
/// Numbers from this on take the hash table: the array stays within 8 MB.
const NUMBERED_LIMIT: usize = 1 << 21;

impl NumberedKeys {
    /// The number of `raw` when it has the form (taking its form when there is none yet).
    fn number(&mut self, raw: &[u8]) -> Option<usize> {
        let (prefix, prefix_len, digits) = match self.form {
            Some(form) => form,
            None => {
                let prefix_len = raw
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic() || **b == b'-' || **b == b'_')
                    .count();
                let digits = raw.len() - prefix_len;
                if prefix_len > NUMBERED_PREFIX
                    || !(1..=9).contains(&digits)
                    || !raw[prefix_len..].iter().all(u8::is_ascii_digit)
                {
                    return None;
                }
                let mut prefix = [0u8; NUMBERED_PREFIX];
                prefix[..prefix_len].copy_from_slice(&raw[..prefix_len]);
                *self.form.insert((prefix, prefix_len, digits))
            }
        };
        // Byte by byte: the prefix is a letter or two, too short for a call to memcmp.
        if raw.len() != prefix_len + digits
            || raw.iter().zip(&prefix[..prefix_len]).any(|(a, b)| a != b)
        {
            return None;
        }
        let mut n = 0usize;
        for &b in &raw[prefix_len..] {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n * 10 + usize::from(b - b'0');
        }
        (n < NUMBERED_LIMIT).then_some(n)
    }

    /// Number `n`'s id of kind `k` ([`RAW`] or [`CANONICAL`]).
    #[inline]
    fn get(&self, n: usize, k: usize) -> Option<u32> {
        self.ids
            .get(n)
            .map(|ids| ids[k])
            .filter(|&id| id != u32::MAX)
    }

    fn set(&mut self, n: usize, k: usize, id: u32) {
        let ids = &mut self.ids;
        if n >= ids.len() {
            let doubled = (ids.len() * 2).min(NUMBERED_LIMIT);
            ids.resize((n + 1).max(doubled), [u32::MAX; 2]);
        }
        ids[n][k] = id;
    }

    /// The text of number `n` in the form taken, written into `out`: the key it was read
    /// from, byte for byte (the prefix, then the number in the form's count of digits).
    fn spell<'o>(&self, mut n: usize, out: &'o mut [u8; NUMBERED_PREFIX + 9]) -> &'o str {
        let Some((prefix, prefix_len, digits)) = self.form else {
            return "";
        };
        let len = prefix_len + digits;
        out[..prefix_len].copy_from_slice(&prefix[..prefix_len]);
        for at in (prefix_len..len).rev() {
            out[at] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        // The prefix is ASCII letters, `-` and `_`, the rest digits.
        std::str::from_utf8(&out[..len]).unwrap_or_default()
    }
}

/// A numbered key handed out by its number while they are deferred
/// ([`KeyInterner::defer_numbered`]): the number with this bit set. Numbers stay below
/// [`NUMBERED_LIMIT`], so a stand-in is never [`u32::MAX`] (no key).
const PENDING: u32 = 1 << 31;

/// A key met while numbered keys are deferred that is not numbered: the stand-ins handed out
/// so far must be settled first ([`KeyInterner::settle`]), in the order they were handed out.
#[derive(Debug)]
pub(crate) struct MustSettle;

impl KeyInterner {
    /// The raw-spelling index of a key (normalising it the first time it is seen). Returns
    /// `None` when the key is blank after normalisation.
    pub(crate) fn intern(&mut self, raw: &str) -> Option<u32> {
        let Some(n) = self.numbered.number(raw.as_bytes()) else {
            return self.intern_in_table(raw);
        };
        match self.numbered.get(n, RAW) {
            Some(id) => Some(id),
            None => Some(self.add_numbered(n, raw)),
        }
    }

    /// Adds the numbered key `raw`, of number `n`, seen for the first time.
    #[cold]
    fn add_numbered(&mut self, n: usize, raw: &str) -> u32 {
        // A numbered key is its own canonical key, of the same number.
        let canonical = match self.numbered.get(n, CANONICAL) {
            Some(id) => id,
            None => {
                let id = self.canonical.push(raw);
                self.numbered.set(n, CANONICAL, id);
                id
            }
        };
        let id = self.raw.push(raw);
        self.raw_canonical.push(canonical);
        self.numbered.set(n, RAW, id);
        id
    }

    /// From now on, until [`KeyInterner::settle`], [`KeyInterner::intern_or_defer`]
    /// hands out numbered keys as stand-ins (their numbers) without looking them up.
    ///
    /// Why: the rows come in date order, so each lookup by number lands somewhere new in an
    /// array of megabytes, a cache miss. While reading a row the processor cannot start the
    /// next row's miss before this one's has come (each row is hundreds of instructions),
    /// so the misses come one after another: a third of a part's time on a file of half a
    /// million customers. Settled afterwards in tight loops over the rows
    /// ([`KeyInterner::settle`]), many misses are under way at once.
    ///
    /// Only for a new interner: no number has an index yet.
    pub(crate) fn defer_numbered(&mut self) {
        self.deferring = self.raw.len() == 0;
    }

    /// [`KeyInterner::intern`], or while numbered keys are deferred, a numbered key's
    /// stand-in. `Err` for another key while deferring: settle the stand-ins handed out
    /// ([`KeyInterner::settle`]) and intern it then, so that every key gets the index of its
    /// first appearance.
    #[inline]
    pub(crate) fn intern_or_defer(&mut self, raw: &str) -> Result<Option<u32>, MustSettle> {
        if !self.deferring {
            return Ok(self.intern(raw));
        }
        match self.numbered.number(raw.as_bytes()) {
            Some(n) => {
                self.pending_len = self.pending_len.max(n + 1);
                Ok(Some(PENDING | n as u32))
            }
            None => Err(MustSettle),
        }
    }

    /// Replaces every stand-in in `keys` (all the stand-ins handed out, in the order they
    /// were: what [`KeySeq::each`] visits) by the raw-spelling index interning each key at
    /// once would have given it; other values stay. Keys are interned at once from then on.
    ///
    /// In four passes, none of which waits on one lookup before starting the next: each
    /// number's first place, the numbers in the order of their first places, their indexes
    /// given in that order, the stand-ins replaced. Whether a key is new is never a branch
    /// on a value just looked up: in a file where half the rows bring a new customer that
    /// branch is a coin toss, and each wrong guess throws the lookups under way away.
    pub(crate) fn settle(&mut self, keys: &mut impl KeySeq) {
        if !std::mem::take(&mut self.deferring) || self.pending_len == 0 {
            return;
        }
        let pending = |key: u32| key != u32::MAX && key & PENDING != 0;
        let number = |key: u32| (key & !PENDING) as usize;
        // While deferring no number was given an index: the place of its first stand-in is
        // kept where its index goes, until it is given one.
        let ids = &mut self.numbered.ids;
        if ids.len() < self.pending_len {
            ids.resize(self.pending_len, [u32::MAX; 2]);
        }
        let mut place = 0u32;
        keys.each(|key| {
            if pending(*key) {
                let first = &mut ids[number(*key)][RAW];
                *first = (*first).min(place);
            }
            place += 1;
        });
        let count = ids.iter().filter(|id| id[RAW] != u32::MAX).count();
        let mut firsts = vec![0u32; count + 1];
        let (mut k, mut place) = (0, 0u32);
        keys.each(|key| {
            if pending(*key) {
                let n = number(*key);
                firsts[k] = n as u32;
                k += usize::from(ids[n][RAW] == place);
            }
            place += 1;
        });
        let firsts = &firsts[..count];
        // Indexes in that order, each with its canonical id (a new one where the number has
        // none yet), without a branch on what is found...
        let base = self.raw.len() as u32;
        let mut next_canonical = self.canonical.len() as u32;
        self.raw_canonical.reserve(count);
        for (k, &n) in firsts.iter().enumerate() {
            let id = &mut ids[n as usize];
            let known = id[CANONICAL];
            let new = known == u32::MAX;
            let canonical = if new { next_canonical } else { known };
            next_canonical += u32::from(new);
            *id = [base + k as u32, canonical];
            self.raw_canonical.push(canonical);
        }
        // ... then their texts, in the same order: a numbered key is its own canonical key.
        let mut spelt = [0; NUMBERED_PREFIX + 9];
        for (k, &n) in firsts.iter().enumerate() {
            let text = self.numbered.spell(n as usize, &mut spelt);
            self.raw.push(text);
            let canonical = self.raw_canonical[base as usize + k];
            if canonical as usize == self.canonical.len() {
                self.canonical.push(text);
            }
        }
        let ids = &self.numbered.ids;
        keys.each(|key| {
            if pending(*key) {
                *key = ids[number(*key)][RAW];
            }
        });
    }

    fn intern_in_table(&mut self, raw: &str) -> Option<u32> {
        let Self {
            raw: spellings,
            raw_canonical,
            canonical,
            numbered,
            table_room,
            ..
        } = self;
        if *table_room > 0 {
            let room = std::mem::take(table_room);
            spellings.reserve_table(room);
            canonical.reserve_table(room);
        }
        let (raw_id, canonical_id) = spellings.lookup_or_add_with(raw, |raw| {
            let key = canonical_key_cow(raw);
            let id = if key.is_empty() {
                u32::MAX
            } else {
                intern_canonical(canonical, numbered, &key)
            };
            raw_canonical.push(id);
            id
        });
        (canonical_id != u32::MAX).then_some(raw_id)
    }

    /// Room for about `n` distinct keys: the hash tables get theirs when the first key that
    /// is not numbered comes.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.table_room = n;
        self.raw.spans.reserve(n);
        self.canonical.spans.reserve(n);
        self.raw_canonical.reserve(n);
    }

    /// The canonical key of a canonical id.
    pub(crate) fn canonical_text(&self, id: u32) -> &str {
        self.canonical.get(id)
    }

    /// Whether every raw spelling is its own canonical key, of the same index: a file of
    /// numbered keys written one way, the usual case. The customers can then be numbered
    /// from the raw indexes without looking each one's canonical id up.
    pub(crate) fn canonical_is_raw(&self) -> bool {
        self.raw_canonical
            .iter()
            .enumerate()
            .all(|(raw, &canonical)| canonical as usize == raw)
    }

    /// Number of canonical keys.
    pub(crate) fn canonical_count(&self) -> usize {
        self.canonical.len()
    }

    /// The canonical id of a raw-spelling index.
    pub(crate) fn canonical_of(&self, raw_id: u32) -> u32 {
        self.raw_canonical[raw_id as usize]
    }

    /// A raw spelling as written.
    pub(crate) fn raw_text(&self, raw_id: u32) -> &str {
        self.raw.get(raw_id)
    }

    /// Number of distinct raw spellings (blank ones included).
    pub(crate) fn raw_count(&self) -> usize {
        self.raw.len()
    }

    /// The raw spellings by id, in order of first appearance.
    pub(crate) fn into_raw_texts(self) -> Texts {
        self.raw.into_texts()
    }
}

/// The id of a canonical key: by its number when it has the numbered form, else through the
/// table.
fn intern_canonical(canonical: &mut StrInterner, numbered: &mut NumberedKeys, key: &str) -> u32 {
    let Some(n) = numbered.number(key.as_bytes()) else {
        return canonical.intern(key);
    };
    numbered.get(n, CANONICAL).unwrap_or_else(|| {
        let id = canonical.push(key);
        numbered.set(n, CANONICAL, id);
        id
    })
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
        assert_eq!(keys.raw_count(), 3);
        assert_eq!(keys.raw_text(b), " taro@example.jp");
        let canonical: Vec<&str> = (0..keys.canonical_count() as u32)
            .map(|id| keys.canonical_text(id))
            .collect();
        assert_eq!(canonical, vec!["taro@example.jp", "taroyamada@example.jp"]);
        assert_eq!(keys.intern("  "), None);
    }

    /// Numbers below `n`, the same each run from `seed` (a linear congruential generator).
    fn numbers_from(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut state = seed;
        move |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        }
    }

    /// Keys of the numbered form (the first key's: `C` and six digits) are found through the
    /// array, every other key through the table; both give exactly what a plain map of
    /// spellings in order of first appearance gives, and the same canonical keys.
    #[test]
    fn numbered_keys_answer_as_the_table_does() {
        let mut keys = KeyInterner::default();
        let mut spellings: Vec<String> = Vec::new();
        let mut next = numbers_from(99);
        let mut raw_keys = vec!["C000042".to_string()];
        for _ in 0..20_000 {
            let n = next(3_000);
            raw_keys.push(match next(12) {
                0 => format!("C{n:05}"),  // one digit fewer: the table
                1 => format!("D{n:06}"),  // another prefix
                2 => format!(" C{n:06}"), // a space before it
                3 => format!("c{n:06}@Example.jp"),
                4 => format!("{n}"),
                5 => "  ".to_string(),                 // blank
                6 => format!("C{:06}", n + 2_500_000), // beyond the array
                7 => format!("Ｃ{n:06}"),              // full width: the same canonical key
                _ => format!("C{n:06}"),
            });
        }
        for raw in &raw_keys {
            let expected_raw = match spellings.iter().position(|s| s == raw) {
                Some(i) => i as u32,
                None => {
                    spellings.push(raw.clone());
                    (spellings.len() - 1) as u32
                }
            };
            let canonical = canonical_key(raw);
            let got = keys.intern(raw);
            if canonical.is_empty() {
                assert_eq!(got, None, "{raw:?}");
                continue;
            }
            assert_eq!(got, Some(expected_raw), "{raw:?}");
            assert_eq!(keys.raw_text(expected_raw), raw);
            assert_eq!(
                keys.canonical_text(keys.canonical_of(expected_raw)),
                canonical
            );
        }
        assert_eq!(keys.raw_count(), spellings.len());
        assert!(keys.numbered.form.is_some() && keys.numbered.ids.len() <= NUMBERED_LIMIT);
    }

    /// Keys handed out as stand-ins and settled later ([`KeyInterner::settle`]), whenever a key
    /// that is not numbered comes and at the end, get exactly the indexes, texts and canonical
    /// keys that interning each at once gives.
    #[test]
    fn deferred_keys_settle_to_what_interning_at_once_gives() {
        struct Keys<'a>(&'a mut [u32]);
        impl KeySeq for Keys<'_> {
            fn each(&mut self, visit: impl FnMut(&mut u32)) {
                self.0.iter_mut().for_each(visit);
            }
        }
        let mut next = numbers_from(7);
        for round in 0..40 {
            // The later rounds switch kinds more and more rarely: long runs of stand-ins.
            let other = 2 + round * 50;
            let raw_keys: Vec<String> = (0..3_000)
                .map(|_| {
                    let n = next(1_500);
                    match next(other) {
                        0 => format!("Ｃ{n:06}"),
                        1 => format!("k{n}@example.jp"),
                        _ => format!("C{n:06}"),
                    }
                })
                .collect();
            let mut at_once = KeyInterner::default();
            let expected: Vec<u32> = raw_keys
                .iter()
                .map(|k| at_once.intern(k).unwrap())
                .collect();
            let mut deferred = KeyInterner::default();
            deferred.defer_numbered();
            let mut got: Vec<u32> = Vec::new();
            for key in &raw_keys {
                let id = match deferred.intern_or_defer(key) {
                    Ok(id) => id.unwrap(),
                    Err(MustSettle) => {
                        deferred.settle(&mut Keys(&mut got));
                        deferred.intern(key).unwrap()
                    }
                };
                got.push(id);
            }
            deferred.settle(&mut Keys(&mut got));
            assert_eq!(got, expected, "round {round}");
            assert_eq!(deferred.raw_count(), at_once.raw_count());
            assert_eq!(deferred.canonical_count(), at_once.canonical_count());
            for id in 0..at_once.raw_count() as u32 {
                assert_eq!(deferred.raw_text(id), at_once.raw_text(id));
                let canonical = deferred.canonical_of(id);
                assert_eq!(canonical, at_once.canonical_of(id));
                assert_eq!(
                    deferred.canonical_text(canonical),
                    at_once.canonical_text(canonical)
                );
            }
        }
    }

    /// Numbered keys never enter the hash tables, which get their room only when the first
    /// other key comes: on a million rows of numbered IDs, the tables' megabytes are saved.
    #[test]
    fn numbered_keys_leave_the_tables_empty() {
        let mut keys = KeyInterner::default();
        keys.reserve(100_000);
        for n in 0..5_000 {
            keys.intern(&format!("C{n:06}")).unwrap();
        }
        assert_eq!(
            (keys.raw.table.capacity(), keys.canonical.table.capacity()),
            (0, 0)
        );
        // A full-width spelling is not of the form: the raw table has it, but it folds to a
        // numbered canonical key, found by its number.
        for n in 0..5_000 {
            keys.intern(&format!("Ｃ{n:06}")).unwrap();
        }
        assert!(keys.raw.table.capacity() >= 100_000);
        assert_eq!(
            (keys.raw.table.len(), keys.canonical.table.len()),
            (5_000, 0)
        );
        assert_eq!((keys.raw_count(), keys.canonical_count()), (10_000, 5_000));
        let e_mail = keys.intern("taro@example.jp").unwrap();
        assert_eq!(keys.canonical.table.len(), 1);
        assert_eq!(keys.raw_text(e_mail), "taro@example.jp");
        assert_eq!(keys.intern("C000042"), Some(42));
        assert_eq!(keys.canonical_of(5_042), 42);
    }

    #[test]
    fn str_interner_is_exact() {
        let mut strings = StrInterner::default();
        let words = ["", "a", "ORD-1", "ORD-2", "a", "髙島屋", "ORD-1"];
        let ids: Vec<u32> = words.iter().map(|w| strings.intern(w)).collect();
        assert_eq!(ids, vec![0, 1, 2, 3, 1, 4, 2]);
        assert_eq!(strings.len(), 5);
        for (w, id) in words.iter().zip(&ids) {
            assert_eq!(strings.get(*id), *w);
        }
        // Long texts are compared in the arena: a shared beginning does not merge them.
        let long_a = "ORD-2024-0000000000000000000001";
        let long_b = "ORD-2024-0000000000000000000002";
        let a = strings.intern(long_a);
        let b = strings.intern(long_b);
        assert_ne!(a, b);
        assert_eq!((strings.intern(long_a), strings.intern(long_b)), (a, b));
        assert_eq!((strings.get(a), strings.get(b)), (long_a, long_b));
    }

    #[test]
    fn the_hasher_tells_keys_apart() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let build = BuildHasherDefault::<FxHasher>::default();
        let hash = |s: &str| build.hash_one(s);
        let keys = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "taro@example.jp",
            "taro@example.jq",
            "ORD-00000001",
            "ORD-00000002",
        ];
        let mut hashes: Vec<u64> = keys.iter().map(|k| hash(k)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), keys.len());
    }
}
