//! 商品分析: which first product leads to repeat buying, what is bought next, and what is
//! bought together (docs/domain.md §7). Only for tables with order lines.
//!
//! The first purchase is every order on a customer's first order day; the next purchase is
//! every order on the customer's next order day after that.

use serde::{Deserialize, Serialize};

use super::customers::{yen, CustomerBase};
use super::summary::ratio;
use crate::orders::{Buckets, OrderTable};

/// Pairs bought together are listed when bought together in at least this many orders.
pub const MIN_PAIR_ORDERS: u64 = 2;
/// At most this many pairs, the most frequent first.
pub const MAX_PAIRS: usize = 200;
/// Products counted per order for pairs (an order with more is cut, to bound the work).
pub const MAX_PRODUCTS_PER_ORDER: usize = 50;
/// Days after the first order for revenue per customer.
pub const REVENUE_DAYS: i64 = 365;

/// One first-order product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FirstProduct {
    pub product: u32,
    pub name: String,
    /// Customers with this product on their first order day.
    pub customers: u64,
    /// Of those, customers whose first order is at least the F2 days before the date.
    pub f2_eligible: u64,
    pub f2_converted: u64,
    pub f2_rate: Option<f64>,
    /// Customers whose first order is at least 365 days before the date.
    pub observed_12_months: u64,
    /// Their revenue within 365 days of the first order (inclusive), ÷ their number.
    pub revenue_per_customer_12_months: Option<f64>,
}

/// What customers who started with `first` bought on their next order day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NextProduct {
    pub first: u32,
    pub first_name: String,
    pub next: u32,
    pub next_name: String,
    /// Customers (each counted once per pair).
    pub customers: u64,
}

/// Two products bought in the same order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductPair {
    pub a: u32,
    pub a_name: String,
    pub b: u32,
    pub b_name: String,
    /// Orders with both.
    pub orders: u64,
    /// orders ÷ orders with lines.
    pub support: f64,
    /// support(a, b) ÷ (support(a) × support(b)).
    pub lift: f64,
}

/// The product tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Products {
    /// By customers, most first.
    pub first_products: Vec<FirstProduct>,
    /// By customers, most first.
    pub next_products: Vec<NextProduct>,
    /// Pairs in at least [`MIN_PAIR_ORDERS`] orders, most frequent first, at most
    /// [`MAX_PAIRS`].
    pub pairs: Vec<ProductPair>,
    /// Orders (up to the date) with at least one line.
    pub orders_with_lines: u64,
}

/// The product tables, or `None` when the table has no lines.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{customers::CustomerBase, products::products};
/// use ltv_core::orders::{Order, OrderLine, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a"].into(),
///     orders: vec![
///         Order { customer: 0, day: 0, amount: 980.0 },
///         Order { customer: 0, day: 20, amount: 3_980.0 },
///     ],
///     product_names: vec!["お試し".into(), "本品".into()],
///     lines: vec![
///         OrderLine { order: 0, product: 0, quantity: 1.0 },
///         OrderLine { order: 1, product: 1, quantity: 1.0 },
///     ],
/// };
/// let p = products(&CustomerBase::new(&table, Some(100)), &table, 90).unwrap();
/// assert_eq!(p.first_products[0].name, "お試し");
/// assert_eq!(p.first_products[0].f2_rate, Some(1.0));
/// assert_eq!(p.next_products[0].next_name, "本品");
/// ```
pub fn products(base: &CustomerBase, table: &OrderTable, f2_days: u32) -> Option<Products> {
    if table.lines.is_empty() {
        return None;
    }
    let product_count = table
        .lines
        .iter()
        .map(|l| l.product as usize + 1)
        .max()
        .unwrap_or(0)
        .max(table.product_names.len());
    let name = |p: u32| {
        table
            .product_names
            .get(p as usize)
            .cloned()
            .unwrap_or_else(|| format!("#{p}"))
    };

    // Lines by order, distinct products per order, sorted.
    let order_count = table.orders.len();
    let by_order = Buckets::new(
        order_count,
        &table.lines,
        |l| {
            ((l.order as usize) < order_count && (l.product as usize) < product_count)
                .then_some(l.order as usize)
        },
        |_, l| l.product,
    );
    let products_of = |order: u32| -> Vec<u32> {
        let mut p = by_order.get(order as usize).to_vec();
        p.sort_unstable();
        p.dedup();
        p
    };

    // First products, F2, 12-month revenue, next products.
    let as_of = i64::from(base.as_of());
    let mut firsts: Vec<FirstProduct> = (0..product_count as u32)
        .map(|p| FirstProduct {
            product: p,
            name: String::new(),
            customers: 0,
            f2_eligible: 0,
            f2_converted: 0,
            f2_rate: None,
            observed_12_months: 0,
            revenue_per_customer_12_months: None,
        })
        .collect();
    let mut revenue_12 = vec![0f64; product_count];
    let mut next_pairs: Vec<u64> = Vec::new();
    for (c, s) in base.customers() {
        let first_day = i64::from(s.first_day);
        let mut first_products = Vec::new();
        let mut next_products = Vec::new();
        let mut next_day = None;
        let mut within_12 = 0.0;
        for (i, o) in base.orders_of(table, c) {
            let day = i64::from(o.day);
            if day - first_day <= REVENUE_DAYS {
                within_12 += yen(o.amount);
            }
            if day == first_day {
                first_products.extend(products_of(i));
            } else if next_day.is_none_or(|d| d == day) {
                next_day = Some(day);
                next_products.extend(products_of(i));
            }
        }
        first_products.sort_unstable();
        first_products.dedup();
        next_products.sort_unstable();
        next_products.dedup();
        let eligible = s.f2_eligible(base.as_of(), f2_days);
        let converted = eligible && s.f2_converted(f2_days);
        let observed = first_day + REVENUE_DAYS <= as_of;
        for &p in &first_products {
            let f = &mut firsts[p as usize];
            f.customers += 1;
            f.f2_eligible += u64::from(eligible);
            f.f2_converted += u64::from(converted);
            if observed {
                f.observed_12_months += 1;
                revenue_12[p as usize] += within_12;
            }
            for &q in &next_products {
                next_pairs.push((u64::from(p) << 32) | u64::from(q));
            }
        }
    }
    let mut first_products: Vec<FirstProduct> = firsts
        .into_iter()
        .filter(|f| f.customers > 0)
        .map(|mut f| {
            f.name = name(f.product);
            f.f2_rate = ratio(f.f2_converted as f64, f.f2_eligible);
            f.revenue_per_customer_12_months =
                ratio(revenue_12[f.product as usize], f.observed_12_months);
            f
        })
        .collect();
    first_products.sort_by(|a, b| {
        b.customers
            .cmp(&a.customers)
            .then(a.product.cmp(&b.product))
    });
    let mut next_products: Vec<NextProduct> = run_lengths(next_pairs)
        .into_iter()
        .map(|(key, n)| {
            let (p, q) = ((key >> 32) as u32, key as u32);
            NextProduct {
                first: p,
                first_name: name(p),
                next: q,
                next_name: name(q),
                customers: n,
            }
        })
        .collect();
    next_products.sort_by(|a, b| {
        b.customers
            .cmp(&a.customers)
            .then((a.first, a.next).cmp(&(b.first, b.next)))
    });

    // Pairs bought together.
    let mut single = vec![0u64; product_count];
    let mut pair_keys: Vec<u64> = Vec::new();
    let mut orders_with_lines = 0u64;
    for i in 0..order_count as u32 {
        if table.orders[i as usize].day > base.as_of() || by_order.get(i as usize).is_empty() {
            continue;
        }
        orders_with_lines += 1;
        let mut p = products_of(i);
        p.truncate(MAX_PRODUCTS_PER_ORDER);
        for (k, &a) in p.iter().enumerate() {
            single[a as usize] += 1;
            for &b in &p[k + 1..] {
                pair_keys.push((u64::from(a) << 32) | u64::from(b));
            }
        }
    }
    let total = orders_with_lines as f64;
    let mut pairs: Vec<ProductPair> = run_lengths(pair_keys)
        .into_iter()
        .filter(|&(_, n)| n >= MIN_PAIR_ORDERS)
        .map(|(key, n)| {
            let (a, b) = ((key >> 32) as u32, key as u32);
            let support = n as f64 / total;
            let (sa, sb) = (
                single[a as usize] as f64 / total,
                single[b as usize] as f64 / total,
            );
            ProductPair {
                a,
                a_name: name(a),
                b,
                b_name: name(b),
                orders: n,
                support,
                lift: support / (sa * sb),
            }
        })
        .collect();
    pairs.sort_by(|x, y| {
        y.orders
            .cmp(&x.orders)
            .then(y.lift.total_cmp(&x.lift))
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    pairs.truncate(MAX_PAIRS);

    Some(Products {
        first_products,
        next_products,
        pairs,
        orders_with_lines,
    })
}

/// Sorted distinct keys with how often each occurs.
fn run_lengths(mut keys: Vec<u64>) -> Vec<(u64, u64)> {
    keys.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::new();
    for k in keys {
        match out.last_mut() {
            Some((last, n)) if *last == k => *n += 1,
            _ => out.push((k, 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{Order, OrderLine, OrderTable};

    /// Orders of (customer, day, amount, products).
    fn table(orders: &[(u32, i32, f64, &[u32])], names: &[&str]) -> OrderTable {
        let mut t = OrderTable {
            customer_keys: (0..=orders.iter().map(|o| o.0).max().unwrap_or(0))
                .map(|c| c.to_string())
                .collect(),
            product_names: names.iter().map(|n| n.to_string()).collect(),
            ..Default::default()
        };
        for (i, &(customer, day, amount, products)) in orders.iter().enumerate() {
            t.orders.push(Order {
                customer,
                day,
                amount,
            });
            for &product in products {
                t.lines.push(OrderLine {
                    order: i as u32,
                    product,
                    quantity: 1.0,
                });
            }
        }
        t
    }

    #[test]
    fn no_lines_no_products() {
        let t = table(&[(0, 0, 1.0, &[])], &[]);
        assert!(products(&CustomerBase::new(&t, None), &t, 90).is_none());
    }

    #[test]
    fn first_products_next_products_and_pairs() {
        // Products: 0 trial, 1 main, 2 refill.
        let t = table(
            &[
                (0, 0, 1_000.0, &[0]),
                (0, 30, 5_000.0, &[1, 2]),
                (0, 400, 5_000.0, &[1, 2]), // beyond 365 days
                (1, 10, 1_000.0, &[0]),
                (1, 10, 3_000.0, &[1]), // same first day: both are first products
                (2, 20, 4_000.0, &[1, 2]),
                (3, 450, 1_000.0, &[0]), // too recent for F2 at 90 days
            ],
            &["お試し", "本品", "詰め替え"],
        );
        let p = products(&CustomerBase::new(&t, None), &t, 90).unwrap();
        let firsts: Vec<(&str, u64, u64, u64, Option<f64>)> = p
            .first_products
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.customers,
                    f.f2_eligible,
                    f.f2_converted,
                    f.revenue_per_customer_12_months,
                )
            })
            .collect();
        assert_eq!(
            firsts,
            vec![
                // 0 (¥6,000 within 365 days), 1 (¥4,000), 3 (not observed 365 days).
                ("お試し", 3, 2, 2, Some(5_000.0)),
                // 1 and 2.
                ("本品", 2, 2, 1, Some(4_000.0)),
                ("詰め替え", 1, 1, 0, Some(4_000.0)),
            ]
        );
        // Customer 0 went from お試し to 本品 and 詰め替え on day 30 (day 400 is not the next).
        let next: Vec<(&str, &str, u64)> = p
            .next_products
            .iter()
            .map(|n| (n.first_name.as_str(), n.next_name.as_str(), n.customers))
            .collect();
        assert_eq!(next, vec![("お試し", "本品", 1), ("お試し", "詰め替え", 1)]);
        // 本品 + 詰め替え together in 3 of 7 orders; each alone in 4 and 3 orders.
        assert_eq!(p.orders_with_lines, 7);
        assert_eq!(p.pairs.len(), 1);
        let pair = &p.pairs[0];
        assert_eq!(
            (pair.a_name.as_str(), pair.b_name.as_str(), pair.orders),
            ("本品", "詰め替え", 3)
        );
        let (s_ab, s_a, s_b) = (3.0 / 7.0, 4.0 / 7.0, 3.0 / 7.0);
        assert!((pair.support - s_ab).abs() < 1e-12);
        assert!((pair.lift - s_ab / (s_a * s_b)).abs() < 1e-12);
    }

    #[test]
    fn bad_line_references_are_skipped() {
        let mut t = table(&[(0, 0, 1.0, &[0])], &["a"]);
        t.lines.push(OrderLine {
            order: 99,
            product: 0,
            quantity: 1.0,
        });
        let p = products(&CustomerBase::new(&t, None), &t, 30).unwrap();
        assert_eq!(p.orders_with_lines, 1);
        assert_eq!(p.first_products.len(), 1);
    }
}
