//! Makes the demo export shipped as `src/import/sample_orders.csv`.
//!
//! A small Japanese health-food shop over 2024–2025: about 300 customers, some buying once,
//! some coming back, some going dormant; most start with a trial set (お試しセット) that
//! leads to the main products; a few spell their email differently from order to order; a
//! few orders are returned. Deterministic: the same bytes every run.
//!
//! ```text
//! cargo run -p ltv-core --example make_sample [output path]
//! ```

use std::fmt::Write as _;

use ltv_core::orders::{day_from_ymd, ymd_from_day};

/// A small deterministic generator (xorshift64*): no dependency, same output everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const TRIAL: (&str, u64) = ("【初回限定】お試しセット 7日分", 1_980);

const MAIN: &[(&str, u64)] = &[
    ("国産 大麦若葉 青汁 30包", 4_980),
    ("熟成 黒酢ドリンク 500mL", 3_240),
    ("発酵 ごぼう茶 ティーバッグ 30包", 2_480),
    ("コラーゲン ゼリー 14本入", 3_980),
    ("【定期便】青汁 30包×2箱", 8_960),
    ("乳酸菌 サプリメント 60粒", 2_980),
];

const EXTRAS: &[(&str, u64)] = &[
    ("専用シェイカー", 880),
    ("ギフトボックス", 550),
    ("はちみつ 120g", 1_620),
];

const GIVEN: &[&str] = &[
    "taro", "hanako", "yuki", "ken", "mai", "sho", "aya", "ryo", "emi", "daiki", "nana", "yuto",
    "saki", "kaito", "miho", "sota", "rina", "haruto", "yui", "riku",
];

const FAMILY: &[&str] = &[
    "sato",
    "suzuki",
    "takahashi",
    "tanaka",
    "ito",
    "watanabe",
    "yamamoto",
    "nakamura",
    "kobayashi",
    "kato",
    "yoshida",
    "yamada",
    "sasaki",
    "matsumoto",
    "inoue",
    "kimura",
];

const DOMAINS: &[&str] = &[
    "example.jp",
    "example.co.jp",
    "example.ne.jp",
    "mail.example.com",
    "example.net",
];

/// How a customer behaves.
#[derive(Clone, Copy)]
enum Kind {
    OneTime,
    Repeat,
    Loyal,
    Dormant,
}

struct Line {
    product: &'static str,
    quantity: u64,
    subtotal: u64,
}

struct Order {
    day: i32,
    minute: u64,
    email: String,
    lines: Vec<Line>,
    total: i64,
}

fn email_for(rng: &mut Rng, index: usize) -> String {
    let given = rng.pick(GIVEN);
    let family = rng.pick(FAMILY);
    let domain = rng.pick(DOMAINS);
    match rng.below(3) {
        0 => format!("{given}.{family}{index}@{domain}"),
        1 => format!("{family}_{given}{index}@{domain}"),
        _ => format!("{}{family}{index}@{domain}", &given[..1]),
    }
}

/// The spellings real exports show for one address: case, full width, stray spaces.
fn variant(rng: &mut Rng, email: &str) -> String {
    match rng.below(4) {
        0 => email.to_uppercase(),
        1 => format!(" {email} "),
        2 => email
            .chars()
            .map(|c| match c {
                '@' => '＠',
                'a'..='z' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect(),
        _ => {
            let (local, domain) = email.split_once('@').unwrap_or((email, ""));
            format!("{local}@{}", domain.to_uppercase())
        }
    }
}

/// Money as the shop's export writes it: mostly plain, sometimes with separators or yen.
fn money(rng: &mut Rng, value: i64) -> String {
    let grouped = {
        let digits = value.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    let text = match rng.below(10) {
        _ if value < 0 => format!("▲{grouped}"),
        0..=5 => value.to_string(),
        6 => grouped,
        7 => format!("¥{grouped}"),
        8 => format!("￥{grouped}"),
        _ => format!("{grouped}円"),
    };
    if text.contains(',') {
        format!("\"{text}\"")
    } else {
        text
    }
}

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/src/import/sample_orders.csv").to_string()
    });
    let mut rng = Rng(0x5EED_2024_0101);
    let start = day_from_ymd(2024, 1, 1).expect("a real date");
    let end = day_from_ymd(2025, 12, 31).expect("a real date");
    let mut orders: Vec<Order> = Vec::new();

    for index in 0..300 {
        let email = email_for(&mut rng, index);
        let spells_variously = rng.chance(12);
        let kind = match rng.below(100) {
            0..=39 => Kind::OneTime,
            40..=74 => Kind::Repeat,
            75..=87 => Kind::Loyal,
            _ => Kind::Dormant,
        };
        let (count, gap) = match kind {
            Kind::OneTime => (1, 0),
            Kind::Repeat => (2 + rng.below(4), 45 + rng.below(60)),
            Kind::Loyal => (6 + rng.below(10), 25 + rng.below(20)),
            Kind::Dormant => (2 + rng.below(3), 30 + rng.below(30)),
        };
        // Dormant customers start early and stop; others start any time.
        let first = match kind {
            Kind::Dormant => start + rng.below(200) as i32,
            _ => start + rng.below((end - start) as u64 - 30) as i32,
        };
        let starts_with_trial = rng.chance(65);
        let mut day = first;
        for n in 0..count {
            if day > end {
                break;
            }
            let mut lines = Vec::new();
            if n == 0 && starts_with_trial {
                lines.push(Line {
                    product: TRIAL.0,
                    quantity: 1,
                    subtotal: TRIAL.1,
                });
            } else {
                let (product, price) = *rng.pick(MAIN);
                let quantity = if rng.chance(15) { 2 } else { 1 };
                lines.push(Line {
                    product,
                    quantity,
                    subtotal: price * quantity,
                });
            }
            if rng.chance(25) {
                let (product, price) = *rng.pick(EXTRAS);
                lines.push(Line {
                    product,
                    quantity: 1,
                    subtotal: price,
                });
            }
            let goods: u64 = lines.iter().map(|l| l.subtotal).sum();
            let shipping = if goods >= 5_000 { 0 } else { 550 };
            let spelled = if spells_variously && rng.chance(50) {
                variant(&mut rng, &email)
            } else {
                email.clone()
            };
            orders.push(Order {
                day,
                minute: rng.below(24 * 60),
                email: spelled,
                total: (goods + shipping) as i64,
                lines,
            });
            day += gap as i32 + rng.below(gap / 2 + 1) as i32;
        }
    }

    // A few returns: a main product sent back, as a negative order.
    for _ in 0..3 {
        let i = rng.below(orders.len() as u64) as usize;
        let (product, price) = MAIN[0];
        let returned = Order {
            day: (orders[i].day + 10).min(end),
            minute: rng.below(24 * 60),
            email: orders[i].email.trim().to_lowercase(),
            lines: vec![Line {
                product,
                quantity: 1,
                subtotal: price,
            }],
            total: -(price as i64),
        };
        orders.push(returned);
    }

    orders.sort_by_key(|o| (o.day, o.minute));
    let mut text = String::from(
        "\u{FEFF}注文番号,注文日時,購入者メールアドレス,商品名,数量,小計,合計金額\r\n",
    );
    for (n, order) in orders.iter().enumerate() {
        let (y, m, d) = ymd_from_day(order.day);
        let id = format!("SMP-{:06}", 100_001 + n);
        let when = format!(
            "{y:04}/{m:02}/{d:02} {:02}:{:02}",
            order.minute / 60,
            order.minute % 60
        );
        for line in &order.lines {
            let sign = if order.total < 0 { -1 } else { 1 };
            let subtotal = money(&mut rng, sign * line.subtotal as i64);
            let total = money(&mut rng, order.total);
            let email = if order.email.contains(' ') {
                format!("\"{}\"", order.email)
            } else {
                order.email.clone()
            };
            let _ = write!(
                text,
                "{id},{when},{email},{},{},{subtotal},{total}\r\n",
                line.product, line.quantity
            );
        }
    }
    std::fs::write(&out, text.as_bytes()).expect("write the sample");
    println!("{} orders, {} bytes → {out}", orders.len(), text.len());
}
