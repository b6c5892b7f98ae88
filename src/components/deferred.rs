//! Shows its children a moment after it first appears, so that a long page is built in
//! several short tasks instead of one long one that freezes the page.
//!
//! Every part waiting on the page is in one queue, the lowest `order` first (a part inside a
//! part joins the queue when its parent is shown). Parts are shown in a task after a frame is
//! painted: one, then, once it is built and laid out, the next, while the task has taken less
//! than [`BUDGET_MS`]; the rest wait for the next frame. A cheap part does not hold the page
//! back a frame (a frame is about 17 ms, most parts take one or two), and a costly one still
//! ends its task.

use std::cell::RefCell;

use gloo::render::{request_animation_frame, AnimationFrame};
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// More parts are shown in the same task while it has taken less than this (their building
/// and layout included). Each part's cost is known only once it is shown, so a task can run
/// past it by one part; the first-use layout of the costliest part measured 15 to 30 ms.
pub const BUDGET_MS: f64 = 8.0;

#[derive(Properties, PartialEq)]
pub struct DeferredProps {
    /// When the children come: lower first; parts of equal order in the order they appeared.
    pub order: u32,
    pub children: Html,
}

/// The order of the part being shown, for the parts inside it that come in its turn
/// ([`Later`]).
#[derive(Clone, Copy, Debug, PartialEq)]
struct PartOrder(u32);

#[derive(Properties, PartialEq)]
pub struct LaterProps {
    pub children: Html,
}

/// A part of the part it stands in, shown after it, in a task of its own unless both are
/// cheap: the parts of its order already waiting come first, then it, then the next order.
/// Outside any part it comes first (order 0). A costly piece of a view (a long table) goes
/// in one, so that the view is not built and laid out in one long task.
#[component]
pub fn Later(props: &LaterProps) -> Html {
    let order = use_context::<PartOrder>().map_or(0, |o| o.0);
    html! { <Deferred {order}>{ props.children.clone() }</Deferred> }
}

/// Renders nothing at first, then its children when its turn in the queue comes; once shown,
/// it stays shown, and updates of the children are immediate.
#[component]
pub fn Deferred(props: &DeferredProps) -> Html {
    let shown = use_state(|| false);
    {
        let shown = shown.clone();
        let order = props.order;
        use_effect_with((), move |_| {
            let ticket = enqueue(order, Box::new(move || shown.set(true)));
            // A part that leaves the page before its turn leaves the queue.
            move || cancel(ticket)
        });
    }
    if *shown {
        html! {
            <ContextProvider<PartOrder> context={PartOrder(props.order)}>
                { props.children.clone() }
            </ContextProvider<PartOrder>>
        }
    } else {
        html! { <div class="deferred" aria-busy="true"></div> }
    }
}

/// The parts waiting their turn, each with its order and the number it got in line.
#[derive(Debug)]
pub struct Queue<T> {
    waiting: Vec<(u32, u64, T)>,
    next: u64,
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Self {
            waiting: Vec::new(),
            next: 0,
        }
    }
}

impl<T> Queue<T> {
    /// Puts `item` in line; the ticket takes it out again.
    pub fn push(&mut self, order: u32, item: T) -> u64 {
        let ticket = self.next;
        self.next += 1;
        self.waiting.push((order, ticket, item));
        ticket
    }

    /// Takes the item of `ticket` out of line, if it is still waiting.
    pub fn cancel(&mut self, ticket: u64) {
        self.waiting.retain(|(_, t, _)| *t != ticket);
    }

    /// The next item of an order below `gate` (of any order: `None`): the lowest order, and
    /// of those the first in line.
    pub fn pop_below(&mut self, gate: Option<u32>) -> Option<T> {
        let at = self
            .waiting
            .iter()
            .enumerate()
            .filter(|(_, (order, _, _))| gate.is_none_or(|gate| *order < gate))
            .min_by_key(|(_, (order, ticket, _))| (*order, *ticket))
            .map(|(at, _)| at)?;
        Some(self.waiting.remove(at).2)
    }

    /// Whether no item is waiting.
    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }
}

type Show = Box<dyn FnOnce()>;

/// The page's queue and the frame or timer that shows its next part. Each callback replaces
/// only the other's handle: the one that is running is never dropped while it runs.
#[derive(Default)]
struct Pump {
    queue: Queue<Show>,
    frame: Option<AnimationFrame>,
    timer: Option<Timeout>,
    running: bool,
    /// What waits for the last part to be painted.
    then: Vec<Show>,
    /// The parts of this order and above wait ([`hold_from`]).
    gate: Option<u32>,
    /// What waits for the last part below the gate to be painted.
    below_gate: Vec<Show>,
}

thread_local! {
    static PUMP: RefCell<Pump> = RefCell::default();
}

impl Pump {
    /// The next part to show: none of the parts held back.
    fn pop(&mut self) -> Option<Show> {
        self.queue.pop_below(self.gate)
    }
}

fn enqueue(order: u32, show: Show) -> u64 {
    PUMP.with(|pump| {
        let mut pump = pump.borrow_mut();
        let ticket = pump.queue.push(order, show);
        start(&mut pump);
        ticket
    })
}

fn cancel(ticket: u64) {
    PUMP.with(|pump| pump.borrow_mut().queue.cancel(ticket));
}

/// Calls `then` once no part is waiting and the last part shown is painted; when none is
/// waiting, once the next frame is painted (what was just rendered with it). Parts that join
/// the queue meanwhile are waited for too, so that a caller in the same render as the parts
/// need not come after them.
pub fn when_all_shown(then: impl FnOnce() + 'static) {
    wait_then(|pump| &mut pump.then, Box::new(then));
}

/// Calls `then` once no part below the gate ([`hold_from`]) is waiting and the last one
/// shown is painted: [`when_all_shown`] when there is no gate.
pub fn when_shown_below_gate(then: impl FnOnce() + 'static) {
    wait_then(|pump| &mut pump.below_gate, Box::new(then));
}

/// Puts `then` in the pump's list `list` of what waits, and starts the pump.
fn wait_then(list: fn(&mut Pump) -> &mut Vec<Show>, then: Show) {
    PUMP.with(|pump| {
        let mut pump = pump.borrow_mut();
        list(&mut pump).push(then);
        start(&mut pump);
    });
}

/// Holds back the parts of `order` and above, waiting or to come, until [`release`]: the
/// page's thread is left to what the user waits for more (the parts above show the answer).
/// What waits for every part waits for them too.
pub fn hold_from(order: u32) {
    PUMP.with(|pump| pump.borrow_mut().gate = Some(order));
}

/// Lets the parts held back come now ([`release`]) and calls `then` once every part is shown
/// ([`when_all_shown`]): for what the user asked of the whole page (printing it, going to a
/// section of it).
pub fn show_all_then(then: impl FnOnce() + 'static) {
    release();
    when_all_shown(then);
}

/// The parts held back ([`hold_from`]) come, in their order.
pub fn release() {
    PUMP.with(|pump| {
        let mut pump = pump.borrow_mut();
        if pump.gate.take().is_some() {
            start(&mut pump);
        }
    });
}

/// Starts the pump unless it runs.
fn start(pump: &mut Pump) {
    if !pump.running {
        pump.running = true;
        next_frame(pump);
    }
}

/// Waits for the next frame, then for its end: a timer set in a frame's callback runs once
/// that frame is painted, so the parts shown then are laid out in a frame of their own.
fn next_frame(pump: &mut Pump) {
    pump.frame = Some(request_animation_frame(|_| {
        PUMP.with(|pump| pump.borrow_mut().timer = Some(Timeout::new(0, show_next)));
    }));
}

/// Shows the next part, and more while the task is within [`BUDGET_MS`] ([`show_more`]);
/// with none left, the pump stops and what waited for the last part to be painted runs.
fn show_next() {
    let show = PUMP.with(|pump| pump.borrow_mut().pop());
    // Called with the queue free: a part's render may put its own parts in line.
    let Some(show) = show else {
        let then = PUMP.with(|pump| {
            let mut pump = pump.borrow_mut();
            pump.running = false;
            let mut then = std::mem::take(&mut pump.below_gate);
            if pump.queue.is_empty() {
                then.append(&mut pump.then);
            }
            then
        });
        then.into_iter().for_each(|then| then());
        return;
    };
    let started = now();
    show();
    show_more(started);
}

/// Once the part just shown is rendered (Yew renders at the end of the task, in a microtask
/// queued before this one's), lays the page out and measures the task so far: within the
/// budget, the next part is shown in the same task; past it, or with none left, the pump
/// waits for the frame that paints what was shown.
fn show_more(started: f64) {
    wasm_bindgen_futures::spawn_local(async move {
        lay_out();
        let next = if now() - started < BUDGET_MS {
            PUMP.with(|pump| pump.borrow_mut().pop())
        } else {
            None
        };
        match next {
            Some(show) => {
                show();
                show_more(started);
            }
            None => PUMP.with(|pump| next_frame(&mut pump.borrow_mut())),
        }
    });
}

/// Lays the page out now (what the frame would do after the task), so that the task's
/// measure includes the layout of the parts shown in it.
fn lay_out() {
    if let Some(body) = gloo::utils::document()
        .body()
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = body.offset_height();
    }
}

fn now() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}

#[cfg(test)]
mod tests {
    use super::Queue;

    #[test]
    fn the_lowest_order_comes_first_and_equal_orders_in_line() {
        let mut queue = Queue::default();
        queue.push(6, "prediction");
        queue.push(1, "monthly");
        queue.push(6, "products");
        queue.push(2, "cohorts");
        let mut out = Vec::new();
        while let Some(item) = queue.pop_below(None) {
            out.push(item);
        }
        assert_eq!(out, ["monthly", "cohorts", "prediction", "products"]);
    }

    #[test]
    fn a_part_that_joins_later_with_a_lower_order_goes_ahead() {
        let mut queue = Queue::default();
        queue.push(4, "other views");
        queue.push(5, "ltv days");
        assert_eq!(queue.pop_below(None), Some("other views"));
        // Shown: the other views put their own parts in line.
        queue.push(1, "rfm");
        queue.push(2, "cpm");
        assert_eq!(queue.pop_below(None), Some("rfm"));
        assert_eq!(queue.pop_below(None), Some("cpm"));
        assert_eq!(queue.pop_below(None), Some("ltv days"));
        assert_eq!(queue.pop_below(None), None);
    }

    #[test]
    fn the_parts_held_back_wait_and_the_others_come() {
        let mut queue = Queue::default();
        queue.push(3, "cohorts");
        queue.push(1, "summary");
        queue.push(2, "monthly");
        assert_eq!(queue.pop_below(Some(2)), Some("summary"));
        assert_eq!(queue.pop_below(Some(2)), None);
        assert!(!queue.is_empty());
        assert_eq!(queue.pop_below(None), Some("monthly"));
        assert_eq!(queue.pop_below(None), Some("cohorts"));
        assert!(queue.is_empty());
    }

    #[test]
    fn a_part_that_leaves_before_its_turn_is_not_shown() {
        let mut queue = Queue::default();
        let first = queue.push(1, "first");
        queue.push(2, "second");
        queue.cancel(first);
        queue.cancel(first);
        assert_eq!(queue.pop_below(None), Some("second"));
        assert_eq!(queue.pop_below(None), None);
    }
}
