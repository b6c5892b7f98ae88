//! The order table: what an import produces and every analysis reads.
//!
//! Columnar enough to stay small on a million orders: customers and products are interned
//! once into dense `u32` ids, and a day is a plain day number.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// A calendar day as the number of days since 1970-01-01 (no time zone: the shop's local
/// date as the export wrote it).
pub type Day = i32;

/// The day number of a civil date, or `None` when the date does not exist.
///
/// # Examples
/// ```
/// use ltv_core::orders::{day_from_ymd, ymd_from_day};
/// let d = day_from_ymd(1997, 1, 1).unwrap();
/// assert_eq!(d, 9862);
/// assert_eq!(ymd_from_day(d), (1997, 1, 1));
/// assert!(day_from_ymd(2023, 2, 29).is_none());
/// ```
pub fn day_from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    Some(date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY)
}

/// The civil date `(year, month, day)` of a day number.
pub fn ymd_from_day(day: Day) -> (i32, u32, u32) {
    match Date::from_julian_day(day + UNIX_EPOCH_JULIAN_DAY) {
        Ok(date) => (
            date.year(),
            u32::from(u8::from(date.month())),
            u32::from(date.day()),
        ),
        // Outside ±9999 years: cannot come from a parsed date; show the epoch rather than panic.
        Err(_) => (1970, 1, 1),
    }
}

/// `YYYY-MM-DD` of a day number.
pub fn iso_date(day: Day) -> String {
    let (y, m, d) = ymd_from_day(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A month as `year * 12 + (month - 1)`: consecutive months are consecutive numbers.
pub type MonthIndex = i32;

/// A day from a date input's value, `YYYY-MM-DD`: read as an order date is read
/// ([`crate::import::parse_date`]); `None` for a blank, a date that does not exist, or a date
/// with the year last that either order could read.
///
/// # Examples
/// ```
/// use ltv_core::orders::{iso_date, parse_iso_date};
/// let day = parse_iso_date("2025-07-01").unwrap();
/// assert_eq!(iso_date(day), "2025-07-01");
/// assert_eq!(parse_iso_date("2025-02-30"), None);
/// assert_eq!(parse_iso_date(""), None);
/// ```
pub fn parse_iso_date(text: &str) -> Option<Day> {
    crate::import::parse_date(text)?.resolve(None)
}

/// The month a day falls in.
pub fn month_of_day(day: Day) -> MonthIndex {
    let (y, m, _) = ymd_from_day(day);
    y * 12 + (m as i32 - 1)
}

/// `YYYY-MM` of a month index.
pub fn month_label(month: MonthIndex) -> String {
    format!(
        "{:04}-{:02}",
        month.div_euclid(12),
        month.rem_euclid(12) + 1
    )
}

const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// One order (one checkout): who, when, how much in yen (tax and shipping as the export
/// counts them; negative for a return).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// Dense customer id: an index into [`OrderTable::customer_keys`].
    pub customer: u32,
    pub day: Day,
    pub amount: f64,
}

/// One line of an order: a product and a quantity (present only when the export has a
/// product column).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Index into [`OrderTable::orders`].
    pub order: u32,
    /// Index into [`OrderTable::product_names`].
    pub product: u32,
    pub quantity: f64,
}

/// The customers' keys by dense id, all in one text: a million orders can have hundreds of
/// thousands of customers, and a `String` each took about 40 bytes in the browser (its
/// header and an allocation of its own) for a key of 8. Here a key takes its length and
/// 4 bytes. Serialised as a list of strings.
///
/// # Examples
/// ```
/// use ltv_core::orders::CustomerKeys;
/// let mut keys: CustomerKeys = ["a@example.jp", "b@example.jp"].into();
/// keys.push("c@example.jp");
/// assert_eq!(keys.len(), 3);
/// assert_eq!(&keys[1], "b@example.jp");
/// assert_eq!(keys.iter().last(), Some("c@example.jp"));
/// assert_eq!(keys.get(3), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct CustomerKeys {
    /// Every key, one after the other.
    text: String,
    /// Where each key ends in `text`.
    ends: Vec<u32>,
}

impl CustomerKeys {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Adds a key as the next id.
    pub fn push(&mut self, key: &str) {
        self.text.push_str(key);
        let end = u32::try_from(self.text.len()).expect("customer keys under 4 GiB in all");
        self.ends.push(end);
    }

    /// Removes the last key.
    pub fn pop(&mut self) -> Option<String> {
        self.ends.pop()?;
        let start = self.ends.last().copied().unwrap_or(0) as usize;
        Some(self.text.split_off(start))
    }

    /// The key of id `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] as usize,
        };
        Some(&self.text[start..end])
    }

    /// The keys in id order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + '_ {
        (0..self.len()).map(|i| &self[i])
    }

    /// The bytes the keys hold on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * std::mem::size_of::<u32>()
    }
}

impl std::ops::Index<usize> for CustomerKeys {
    type Output = str;

    fn index(&self, index: usize) -> &str {
        match self.get(index) {
            Some(key) => key,
            None => panic!("customer id {index} of {} keys", self.len()),
        }
    }
}

impl<S: AsRef<str>> FromIterator<S> for CustomerKeys {
    fn from_iter<I: IntoIterator<Item = S>>(keys: I) -> Self {
        let mut all = CustomerKeys::new();
        for key in keys {
            all.push(key.as_ref());
        }
        all
    }
}

impl From<Vec<String>> for CustomerKeys {
    fn from(keys: Vec<String>) -> Self {
        keys.iter().collect()
    }
}

impl<const N: usize> From<[&str; N]> for CustomerKeys {
    fn from(keys: [&str; N]) -> Self {
        keys.iter().collect()
    }
}

impl From<CustomerKeys> for Vec<String> {
    fn from(keys: CustomerKeys) -> Self {
        keys.iter().map(str::to_string).collect()
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for CustomerKeys {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for CustomerKeys {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

/// The clean result of an import: one row per order, customers merged (名寄せ).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderTable {
    /// The canonical key of each customer (normalised email or ID), by dense id.
    pub customer_keys: CustomerKeys,
    pub orders: Vec<Order>,
    pub product_names: Vec<String>,
    pub lines: Vec<OrderLine>,
}

impl OrderTable {
    /// Number of distinct customers.
    pub fn customer_count(&self) -> u64 {
        self.customer_keys.len() as u64
    }

    /// Sum of all order amounts.
    pub fn revenue(&self) -> f64 {
        self.orders.iter().map(|o| o.amount).sum()
    }

    /// First and last order day, or `None` for an empty table.
    pub fn date_range(&self) -> Option<(Day, Day)> {
        let first = self.orders.iter().map(|o| o.day).min()?;
        let last = self.orders.iter().map(|o| o.day).max()?;
        Some((first, last))
    }

    /// How many customer ids the orders use: one past the largest, and at least one per key
    /// (an id beyond the keys is still a customer of its own).
    pub fn customer_id_count(&self) -> usize {
        self.orders
            .iter()
            .map(|o| o.customer as usize + 1)
            .max()
            .unwrap_or(0)
            .max(self.customer_keys.len())
    }

    /// Puts the orders in customer order (by customer id, then day, then amount), the order
    /// in which [`CustomerBase`](crate::analysis::customers::CustomerBase) reads them, so that
    /// a base can read them where they are instead of keeping a copy. The product lines
    /// follow their orders. Nothing else changes: every figure is made from sums over a
    /// customer's orders by day and amount, whatever the table's order.
    ///
    /// Without product lines the orders are moved through a copy of them when there are up to
    /// a few million (two passes of a counting sort, the copy held for the time of the move),
    /// and within the table itself beyond (a counting sort that swaps each order into its
    /// customer's place, with room for one count a customer); with product lines, a copy of
    /// the orders is made for the time of the move.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::orders::{Order, OrderLine, OrderTable};
    /// let order = |customer, day, amount| Order { customer, day, amount };
    /// let mut table = OrderTable {
    ///     customer_keys: ["a", "b"].into(),
    ///     orders: vec![order(1, 5, 100.0), order(0, 9, 50.0), order(0, 3, 70.0)],
    ///     product_names: vec!["本品".into()],
    ///     lines: vec![OrderLine { order: 1, product: 0, quantity: 2.0 }],
    /// };
    /// assert!(!table.is_grouped());
    /// table.group_by_customer();
    /// assert!(table.is_grouped());
    /// assert_eq!(table.orders, vec![order(0, 3, 70.0), order(0, 9, 50.0), order(1, 5, 100.0)]);
    /// // The line of the ¥50 order still points at it.
    /// assert_eq!(table.lines[0].order, 1);
    /// ```
    pub fn group_by_customer(&mut self) {
        if self.is_grouped() {
            return;
        }
        let ids = self.customer_id_count();
        if self.lines.is_empty() && self.orders.len() <= COPIED_UP_TO && ids <= 1 << 20 {
            group_through_copy(&mut self.orders, ids);
        } else if self.lines.is_empty() {
            group_within(&mut self.orders, ids);
        } else {
            let mut by_customer: Vec<u32> = (0..self.orders.len() as u32).collect();
            let orders = &self.orders;
            by_customer.sort_unstable_by(|&a, &b| {
                customer_order(&orders[a as usize], &orders[b as usize]).then(a.cmp(&b))
            });
            let mut place = vec![0u32; by_customer.len()];
            for (to, &from) in by_customer.iter().enumerate() {
                place[from as usize] = to as u32;
            }
            self.orders = by_customer.iter().map(|&i| orders[i as usize]).collect();
            for line in &mut self.lines {
                line.order = place[line.order as usize];
            }
        }
    }

    /// Whether the orders are in customer order ([`OrderTable::group_by_customer`]).
    pub fn is_grouped(&self) -> bool {
        self.orders
            .windows(2)
            .all(|w| customer_order(&w[0], &w[1]).is_le())
    }
}

/// The groups of one round of [`OrderTable::group_by_customer`].
const LOW_GROUPS: usize = 1024;

/// Puts `orders` (customer ids below `ids`) in customer order within themselves, in two
/// rounds of at most 1,024 groups, by the customer id's high bits, then by its low bits
/// within each high group: one round over hundreds of thousands of customers would jump
/// across the whole table at every move.
fn group_within(orders: &mut [Order], ids: usize) {
    let high_groups = ids.div_ceil(LOW_GROUPS);
    let high_ends = group_in_place(orders, high_groups, |o| o.customer as usize / LOW_GROUPS);
    let mut start = 0;
    for (high, &end) in high_ends.iter().enumerate() {
        let part = &mut orders[start..end];
        let first = high * LOW_GROUPS;
        let ends = group_in_place(part, LOW_GROUPS, |o| o.customer as usize - first);
        let mut from = 0;
        for &to in &ends {
            part[from..to].sort_unstable_by(by_day_then_amount);
            from = to;
        }
        start = end;
    }
}

/// Tables of up to this many orders (64 MB of them) are put in customer order through a
/// copy ([`group_through_copy`]); larger ones within themselves, where a second copy would
/// not fit beside them.
const COPIED_UP_TO: usize = 4 << 20;

/// Puts `orders` (customer ids below `ids` ≤ 2²⁰) in customer order through a copy of them:
/// two passes that move each order to the next free place of its group, by the id's low
/// bits and then by its high bits (at most 1,024 groups a pass, whose places stay in the
/// cache), each keeping the order of the pass before, so that every customer's orders end
/// together in the order of the file; then each customer's orders by day and amount, which
/// a file written by date already has.
fn group_through_copy(orders: &mut [Order], ids: usize) {
    let bits = usize::BITS - ids.saturating_sub(1).leading_zeros();
    let low = bits / 2;
    let mut copy = orders.to_vec();
    scatter(orders, &mut copy, 1 << low, |o| {
        o.customer as usize & ((1 << low) - 1)
    });
    scatter(&copy, orders, 1 << (bits - low), |o| {
        o.customer as usize >> low
    });
    drop(copy);
    let mut from = 0;
    while from < orders.len() {
        let customer = orders[from].customer;
        let to = from
            + orders[from..]
                .iter()
                .position(|o| o.customer != customer)
                .unwrap_or(orders.len() - from);
        if to - from > 1 {
            orders[from..to].sort_unstable_by(by_day_then_amount);
        }
        from = to;
    }
}

/// Moves `from` into `to` (as long) grouped by `group` (each below `groups`), each group in
/// the order of `from`.
fn scatter(from: &[Order], to: &mut [Order], groups: usize, group: impl Fn(&Order) -> usize) {
    let mut next = vec![0usize; groups + 1];
    for order in from {
        next[group(order) + 1] += 1;
    }
    for g in 0..groups {
        next[g + 1] += next[g];
    }
    for order in from {
        let place = &mut next[group(order)];
        to[*place] = *order;
        *place += 1;
    }
}

/// Moves `items` into `groups` contiguous groups by `group` (each below `groups`), within the
/// slice (a counting sort that swaps each item into the next free place of its group, also
/// called American flag sort); returns where each group ends. Within a group the items are in
/// no particular order.
fn group_in_place<T>(items: &mut [T], groups: usize, group: impl Fn(&T) -> usize) -> Vec<usize> {
    let mut next = vec![0usize; groups + 1];
    for item in items.iter() {
        next[group(item) + 1] += 1;
    }
    for g in 0..groups {
        next[g + 1] += next[g];
    }
    let ends = next[1..].to_vec();
    for g in 0..groups {
        while next[g] < ends[g] {
            let i = next[g];
            let home = group(&items[i]);
            if home == g {
                next[g] += 1;
            } else {
                items.swap(i, next[home]);
                next[home] += 1;
            }
        }
    }
    ends
}

/// Day first, then amount: the order a customer's orders are read in, so that no sum
/// depends on the order of the file. On `(day, amount)` pairs, for every copy of the orders.
pub(crate) fn day_then_amount(a: (Day, f64), b: (Day, f64)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then(a.1.total_cmp(&b.1))
}

fn by_day_then_amount(a: &Order, b: &Order) -> std::cmp::Ordering {
    day_then_amount((a.day, a.amount), (b.day, b.amount))
}

/// The order of [`OrderTable::group_by_customer`]: by customer, then day, then amount.
pub(crate) fn customer_order(a: &Order, b: &Order) -> std::cmp::Ordering {
    a.customer
        .cmp(&b.customer)
        .then_with(|| by_day_then_amount(a, b))
}

/// Items grouped by a dense key (a customer id, an order index) with a counting sort: linear
/// in the items, no hashing, every group contiguous so that later passes read memory in
/// order. Within a group, items keep the order of the source.
///
/// # Examples
/// ```
/// use ltv_core::orders::Buckets;
/// // (customer, day) pairs grouped by customer; the day 99 one is left out.
/// let orders = [(2, 10), (0, 11), (2, 12), (0, 99)];
/// let by_customer = Buckets::new(3, &orders, |o| (o.1 < 99).then_some(o.0), |_, o| o.1);
/// assert_eq!(by_customer.get(0), &[11]);
/// assert_eq!(by_customer.get(1), &[] as &[i32]);
/// assert_eq!(by_customer.get(2), &[10, 12]);
/// assert_eq!(by_customer.get(7), &[] as &[i32]); // beyond the keys: empty
/// assert_eq!(by_customer.len(), 3);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Buckets<T> {
    /// Group `k` is `items[offsets[k]..offsets[k + 1]]`.
    offsets: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy + Default> Buckets<T> {
    /// Groups the source's entries under `key` (`None`: left out; a key is below `keys`),
    /// each stored as `item(index in the source, entry)`.
    ///
    /// # Panics
    /// When a key is `keys` or more.
    pub fn new<S>(
        keys: usize,
        source: &[S],
        key: impl Fn(&S) -> Option<usize>,
        item: impl Fn(usize, &S) -> T,
    ) -> Self {
        let mut offsets = vec![0u32; keys + 1];
        for s in source {
            if let Some(k) = key(s) {
                offsets[k + 1] += 1;
            }
        }
        for k in 0..keys {
            offsets[k + 1] += offsets[k];
        }
        let mut next = offsets.clone();
        let mut items = vec![T::default(); offsets[keys] as usize];
        for (i, s) in source.iter().enumerate() {
            if let Some(k) = key(s) {
                let slot = &mut next[k];
                items[*slot as usize] = item(i, s);
                *slot += 1;
            }
        }
        Buckets { offsets, items }
    }
}

impl<T> Buckets<T> {
    /// The number of keys.
    pub fn keys(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// The items of every group.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn range(&self, key: usize) -> std::ops::Range<usize> {
        match (self.offsets.get(key), self.offsets.get(key + 1)) {
            (Some(&from), Some(&to)) => from as usize..to as usize,
            _ => 0..0,
        }
    }

    /// The group of `key` (empty beyond the keys).
    pub fn get(&self, key: usize) -> &[T] {
        &self.items[self.range(key)]
    }

    /// The group of `key`, to sort or update in place (empty beyond the keys).
    pub fn get_mut(&mut self, key: usize) -> &mut [T] {
        let range = self.range(key);
        &mut self.items[range]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thousands of customers take both rounds of the grouping within the table, and both
    /// passes of the grouping through a copy; either way the orders come out in customer
    /// order, none lost or changed.
    #[test]
    fn many_customers_are_grouped_both_ways() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let orders: Vec<Order> = (0..60_000)
            .map(|_| Order {
                customer: next(5_000) as u32,
                day: next(400) as Day,
                amount: next(30) as f64 * 100.0,
            })
            .collect();
        let mut table = OrderTable {
            customer_keys: (0..4_000).map(|c| format!("c{c}")).collect(),
            orders,
            ..Default::default()
        };
        let key = |o: &Order| (o.customer, o.day, o.amount as i64);
        let mut want: Vec<_> = table.orders.iter().map(key).collect();
        want.sort_unstable();
        let ids = table.customer_id_count();
        let mut within = table.orders.clone();
        group_within(&mut within, ids);
        table.group_by_customer();
        assert!(table.is_grouped());
        let got: Vec<_> = table.orders.iter().map(key).collect();
        assert_eq!(got, want);
        assert_eq!(table.orders, within);
    }

    proptest::proptest! {
        /// The grouping through a copy gives the orders the grouping within the table gives,
        /// bit for bit: ties of day and amount, negative zero and NaN amounts, ids of every
        /// number of bits.
        #[test]
        fn grouping_through_a_copy_gives_the_same_orders(
            orders in proptest::collection::vec(
                (0u32..3_000, 0i32..20, proptest::sample::select(
                    vec![0.0, -0.0, 100.0, -50.0, 1e-300, f64::NAN, f64::INFINITY],
                )),
                0..400,
            ),
            few in proptest::bool::ANY,
        ) {
            let orders: Vec<Order> = orders
                .into_iter()
                .map(|(c, day, amount)| Order { customer: if few { c % 3 } else { c }, day, amount })
                .collect();
            let ids = orders.iter().map(|o| o.customer as usize + 1).max().unwrap_or(0);
            let mut within = orders.clone();
            group_within(&mut within, ids);
            let mut copied = orders;
            group_through_copy(&mut copied, ids);
            let bits = |os: &[Order]| -> Vec<(u32, Day, u64)> {
                os.iter().map(|o| (o.customer, o.day, o.amount.to_bits())).collect()
            };
            proptest::prop_assert_eq!(bits(&copied), bits(&within));
        }
    }

    #[test]
    fn day_numbers_round_trip() {
        for &(y, m, d, n) in &[
            (1970, 1, 1, 0),
            (1997, 1, 1, 9862),
            (1998, 6, 30, 10407),
            (2024, 2, 29, 19782),
            (1969, 12, 31, -1),
        ] {
            assert_eq!(day_from_ymd(y, m, d), Some(n), "{y}-{m}-{d}");
            assert_eq!(ymd_from_day(n), (y, m, d));
        }
        assert_eq!(day_from_ymd(2024, 13, 1), None);
        assert_eq!(day_from_ymd(2024, 4, 31), None);
        assert_eq!(day_from_ymd(2024, 0, 1), None);
    }

    #[test]
    fn months_are_consecutive() {
        let dec = month_of_day(day_from_ymd(2024, 12, 31).unwrap());
        let jan = month_of_day(day_from_ymd(2025, 1, 1).unwrap());
        assert_eq!(jan - dec, 1);
        assert_eq!(month_label(jan), "2025-01");
        assert_eq!(iso_date(day_from_ymd(2025, 3, 9).unwrap()), "2025-03-09");
    }

    proptest::proptest! {
        /// The keys read back as the list of strings they were made from, whatever their
        /// lengths (empty ones and multi-byte ones included), after pushes and pops, and
        /// serialise as that list.
        #[test]
        fn keys_behave_as_a_list_of_strings(
            keys in proptest::collection::vec("[a-z@.]{0,12}|[あ-ん]{1,4}", 0..40),
            pops in 0usize..5,
        ) {
            let mut held: CustomerKeys = keys.iter().collect();
            let mut model = keys.clone();
            for _ in 0..pops {
                proptest::prop_assert_eq!(held.pop(), model.pop());
            }
            proptest::prop_assert_eq!(held.len(), model.len());
            proptest::prop_assert!(held == model);
            for (i, key) in model.iter().enumerate() {
                proptest::prop_assert_eq!(&held[i], key.as_str());
                proptest::prop_assert_eq!(held.get(i), Some(key.as_str()));
            }
            proptest::prop_assert_eq!(held.get(model.len()), None);
            proptest::prop_assert!(held.iter().rev().eq(model.iter().rev().map(String::as_str)));
            held.push("後から");
            model.push("後から".to_string());
            let json = serde_json::to_string(&held).unwrap();
            proptest::prop_assert_eq!(&json, &serde_json::to_string(&model).unwrap());
            let back: CustomerKeys = serde_json::from_str(&json).unwrap();
            proptest::prop_assert_eq!(back, held);
        }
    }
}
