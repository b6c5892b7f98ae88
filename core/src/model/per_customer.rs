//! Every customer's prediction, held in 16 bytes a customer instead of a whole
//! [`CustomerPrediction`] (104 bytes) each.
//!
//! Customers with the same (x, tₓ, T) share everything the purchase model says of them:
//! P(alive), the expected purchases and their discounted sum. Those are kept once per such
//! group; a customer keeps its group, its holdout count and its mean spend m̄, from which its
//! expected order value and 予測LTV are computed when it is read, with the same expressions
//! the prediction used. On 473,563 customers in 166,693 groups that is 16 MB instead of 49 MB,
//! and it is the largest block a prediction keeps.

use serde::{Deserialize, Serialize};

use super::gamma_gamma::GammaGammaParams;
use super::predict::CustomerPrediction;
use super::summary::{group_key, weeks, CustomerRfm, SummaryGroup};

/// What the purchase model says of every customer of one (x, tₓ, T) group.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct GroupFigures {
    pub p_alive: f64,
    /// Expected purchases in the next 52 weeks.
    pub next_year: f64,
    /// Expected purchases over the horizon (undiscounted).
    pub horizon: f64,
    /// Σ discounted expected purchases a month, × P(alive): 予測LTV is this × E[M] × margin.
    pub discounted: f64,
}

/// One (x, tₓ, T) group, in days as the summary has it, with its figures.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct Shared {
    frequency: u64,
    recency_days: u32,
    age_days: u32,
    figures: GroupFigures,
}

/// One customer id's place: its group (or [`Slot::NOT_MODELLED`]), its holdout purchases and
/// its mean spend.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct Slot {
    group: u32,
    holdout: u32,
    monetary_value: f64,
}

impl Slot {
    const NOT_MODELLED: u32 = u32::MAX;
    const EMPTY: Slot = Slot {
        group: Self::NOT_MODELLED,
        holdout: 0,
        monetary_value: 0.0,
    };
}

/// The per-customer predictions of a [`super::Prediction`], indexed by customer id; a
/// customer the model did not cover (no purchase by the prediction's day) has none.
///
/// # Examples
/// ```
/// use ltv_core::model::{predict, ModelParams};
/// use ltv_core::orders::{Order, OrderTable};
/// let mut orders = Vec::new();
/// for c in 0..60u32 {
///     for k in 0..=(c % 4) {
///         orders.push(Order { customer: c, day: (c % 9) as i32 + 30 * k as i32, amount: 1_000.0 + f64::from(c * 10 + k) });
///     }
/// }
/// let table = OrderTable { customer_keys: (0..60).map(|c| c.to_string()).collect(), orders, ..Default::default() };
/// let prediction = predict(&table, &ModelParams::default()).unwrap();
/// assert_eq!(prediction.customers.len(), 60);
/// let third = prediction.customers.get(3).unwrap();
/// assert_eq!((third.customer, third.frequency), (3, 3));
/// assert_eq!(prediction.customers.iter().flatten().count(), 60);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerPredictions {
    slots: Vec<Slot>,
    shared: Vec<Shared>,
    spend: Option<GammaGammaParams>,
    margin: f64,
}

impl CustomerPredictions {
    /// Room for `ids` customer ids, none predicted yet; made before anything else of a
    /// prediction, so that it takes a hole the import left.
    pub(crate) fn with_ids(ids: usize) -> Self {
        CustomerPredictions {
            slots: vec![Slot::EMPTY; ids],
            ..Default::default()
        }
    }

    /// A customer's purchases in the holdout, known before its group.
    pub(crate) fn set_holdout(&mut self, customer: u32, transactions: u64) {
        if let Some(slot) = self.slots.get_mut(customer as usize) {
            // A customer's count is at most the orders of a table, whose indices are u32.
            slot.holdout = u32::try_from(transactions).unwrap_or(u32::MAX);
        }
    }

    /// The spend model and margin that make each customer's expected value and 予測LTV.
    pub(crate) fn set_spend(&mut self, spend: Option<GammaGammaParams>, margin: f64) {
        self.spend = spend;
        self.margin = margin;
    }

    /// Each customer of `customers` joins its group in `groups` (sorted by (x, tₓ, T), as
    /// [`super::group_customers`] makes them from these customers), with its mean spend.
    pub(crate) fn join_groups(&mut self, groups: &[SummaryGroup], customers: &[CustomerRfm]) {
        // Each group's (x, tₓ, T) as one number, in the groups' order (see
        // [`super::summary::group_key`]): a customer's group is found among 8-byte keys that
        // stay in the processor's cache, not among the groups' 24 bytes each.
        let keys: Option<Vec<u64>> = groups
            .iter()
            .map(|g| group_key(g.frequency, g.recency_days, g.age_days))
            .collect();
        for c in customers {
            let found = match &keys {
                Some(keys) => group_key(c.frequency, c.recency_days, c.age_days)
                    .and_then(|key| keys.binary_search(&key).ok()),
                None => {
                    let key = (c.frequency, c.recency_days, c.age_days);
                    groups
                        .binary_search_by(|g| (g.frequency, g.recency_days, g.age_days).cmp(&key))
                        .ok()
                }
            };
            let Some(group) = found else {
                continue;
            };
            if let Some(slot) = self.slots.get_mut(c.customer as usize) {
                slot.group = group as u32;
                slot.monetary_value = c.monetary_value;
            }
        }
    }

    /// The groups (those [`Self::join_groups`] was given) with their figures, in their order.
    pub(crate) fn set_groups(&mut self, groups: &[SummaryGroup], figures: Vec<GroupFigures>) {
        debug_assert_eq!(groups.len(), figures.len());
        self.shared = groups
            .iter()
            .zip(figures)
            .map(|(g, figures)| Shared {
                frequency: g.frequency,
                recency_days: g.recency_days,
                age_days: g.age_days,
                figures,
            })
            .collect();
    }

    /// How many customer ids there are room for (the table's), modelled or not.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Customer `id`'s prediction; `None` for an id not modelled or out of range.
    pub fn get(&self, id: usize) -> Option<CustomerPrediction> {
        let slot = self.slots.get(id)?;
        let g = self.shared.get(slot.group as usize)?;
        let figures = g.figures;
        let expected_average_value = self
            .spend
            .and_then(|s| s.conditional_expected_value(g.frequency, slot.monetary_value));
        Some(CustomerPrediction {
            customer: id as u32,
            frequency: g.frequency,
            recency_weeks: weeks(g.recency_days),
            age_weeks: weeks(g.age_days),
            monetary_value: slot.monetary_value,
            p_alive: figures.p_alive,
            expected_transactions_next_year: figures.next_year,
            expected_transactions_horizon: figures.horizon,
            expected_average_value,
            clv: expected_average_value.map(|v| figures.discounted * v * self.margin),
            holdout_transactions: u64::from(slot.holdout),
        })
    }

    /// Every customer id's prediction in id order, `None` where not modelled.
    pub fn iter(&self) -> impl Iterator<Item = Option<CustomerPrediction>> + '_ {
        (0..self.slots.len()).map(|id| self.get(id))
    }

    /// Bytes held, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.shared.capacity() * std::mem::size_of::<Shared>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_takes_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Slot>(), 16);
    }

    fn figures(p_alive: f64, next: [f64; 2], discounted: f64) -> GroupFigures {
        GroupFigures {
            p_alive,
            next_year: next[0],
            horizon: next[1],
            discounted,
        }
    }

    fn customer(
        customer: u32,
        frequency: u64,
        recency_days: u32,
        monetary_value: f64,
    ) -> CustomerRfm {
        CustomerRfm {
            customer,
            first_day: 0,
            frequency,
            recency_days,
            age_days: 70,
            monetary_value,
            holdout_transactions: 0,
        }
    }

    #[test]
    fn customers_read_back_their_group_and_their_own_figures() {
        // Ids 0, 2 and 3 bought; 1 did not. 2 and 3 share (x, tₓ, T) = (3, 56, 70).
        let customers = [
            customer(0, 0, 0, 0.0),
            customer(2, 3, 56, 1_200.0),
            customer(3, 3, 56, 800.0),
        ];
        let groups = super::super::group_customers(&customers);
        assert_eq!(groups.len(), 2);
        let mut p = CustomerPredictions::with_ids(4);
        p.set_holdout(2, 5);
        p.set_spend(None, 1.0);
        p.join_groups(&groups, &customers);
        let made = groups
            .iter()
            .map(|g| match g.frequency {
                0 => figures(0.5, [0.2, 0.3], 0.25),
                _ => figures(0.9, [1.5, 2.0], 1.75),
            })
            .collect();
        p.set_groups(&groups, made);
        assert_eq!(p.len(), 4);
        assert_eq!(p.get(1), None);
        assert_eq!(p.get(4), None);
        let c = p.get(2).unwrap();
        assert_eq!(
            (c.customer, c.frequency, c.p_alive, c.monetary_value),
            (2, 3, 0.9, 1_200.0)
        );
        assert_eq!(c.holdout_transactions, 5);
        assert_eq!(
            (
                c.expected_transactions_next_year,
                c.expected_transactions_horizon
            ),
            (1.5, 2.0)
        );
        // Without a spend model there is no expected value and no 予測LTV.
        assert_eq!((c.expected_average_value, c.clv), (None, None));
        assert_eq!(p.get(3).unwrap().monetary_value, 800.0);
        assert_eq!(p.get(0).unwrap().p_alive, 0.5);
        assert_eq!(p.iter().filter(Option::is_some).count(), 3);
    }

    proptest::proptest! {
        /// Each customer finds its own group, whether the groups' (x, tₓ, T) pack into one
        /// number (looked up among the packed keys) or not (a part of 2²¹ or more).
        #[test]
        fn every_customer_joins_its_own_group(
            keys in proptest::collection::vec((0u64..5, 0u32..40, 0u32..40), 1..120),
            huge in proptest::option::of(proptest::prelude::prop_oneof![
                proptest::prelude::Just((1u64 << 21, 0u32, 5u32)),
                proptest::prelude::Just((2, 1 << 21, 3)),
                proptest::prelude::Just((1, 2, u32::MAX)),
            ]),
        ) {
            let customers = super::super::summary::tests::customers_with_keys(
                keys.iter().chain(huge.iter()),
            );
            let groups = super::super::group_customers(&customers);
            let mut p = CustomerPredictions::with_ids(customers.len());
            p.set_spend(None, 1.0);
            p.join_groups(&groups, &customers);
            p.set_groups(&groups, vec![figures(0.5, [1.0, 1.0], 1.0); groups.len()]);
            for c in &customers {
                let got = p.get(c.customer as usize).expect("every customer joined");
                proptest::prop_assert_eq!(
                    (got.frequency, got.recency_weeks, got.age_weeks, got.monetary_value),
                    (c.frequency, weeks(c.recency_days), weeks(c.age_days), c.monetary_value)
                );
            }
        }
    }

    #[test]
    fn the_spend_model_gives_each_customer_its_value_and_ltv() {
        let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
        let customers = [customer(0, 2, 20, 35.0)];
        let groups = super::super::group_customers(&customers);
        let mut p = CustomerPredictions::with_ids(1);
        p.set_spend(Some(spend), 0.4);
        p.join_groups(&groups, &customers);
        p.set_groups(&groups, vec![figures(0.8, [1.0, 1.2], 1.1)]);
        let c = p.get(0).unwrap();
        let value = spend.conditional_expected_value(2, 35.0).unwrap();
        assert_eq!(c.expected_average_value, Some(value));
        assert_eq!(c.clv, Some(1.1 * value * 0.4));
    }
}
