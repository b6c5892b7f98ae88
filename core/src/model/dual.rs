//! Forward-mode derivatives: a value carried with its partial derivatives in N variables,
//! so that one evaluation of Pareto/NBD's likelihood gives its gradient too (A₀ is a
//! continued fraction and a series, with no closed-form derivative in r and s). With N = 0
//! it is a plain number and costs what an `f64` costs: the value-only path is the same code.
//! [`Hyper`] carries the second derivatives as well, so that the same code gives the
//! likelihood's Hessian in one pass ([`Number`] is what the likelihood is written for).

use std::ops::{Add, Div, Mul, Neg, Sub};

/// A value and its partial derivatives ∂v/∂θᵢ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Dual<const N: usize> {
    pub v: f64,
    pub d: [f64; N],
}

impl<const N: usize> Dual<N> {
    /// A number that does not depend on the variables.
    pub(crate) fn constant(v: f64) -> Self {
        Dual { v, d: [0.0; N] }
    }
}

/// A number carrying derivatives in the log-parameters, as Pareto/NBD's likelihood is written
/// for: [`Dual`] (first derivatives, or none) and [`Hyper`] (first and second). Every
/// function below is f(x) from f's value, slope and curvature at x's value ([`Number::chain`]),
/// with the same arithmetic for the value and slope in both: a likelihood written for them has
/// the same value and gradient to the bit in a [`Dual`] of any size, and to rounding in a
/// [`Hyper`] (whose continued fraction and series are summed their own way, see
/// [`Number::Inner`]).
pub(crate) trait Number:
    Copy
    + std::fmt::Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// Whether the curvature given to [`Number::chain`] is used (it may then be worth
    /// computing where it costs).
    const SECOND_ORDER: bool;

    /// A number that does not depend on the variables.
    fn constant(v: f64) -> Self;

    /// e^θ for the variable θᵢ = ln v: its first and second derivatives are v itself.
    fn exp_of_variable(theta: f64, i: usize) -> Self;

    /// The value, without its derivatives.
    fn value(self) -> f64;

    /// The numbers Pareto/NBD's continued fraction and series are summed in
    /// ([`super::special::ParetoTail`]): for values and gradients these same numbers; for
    /// second derivatives, numbers in the sum's own three variables (a, p, and z or w),
    /// brought back to the log-parameters once summed ([`Number::from_inner`]), which costs
    /// less than carrying the pairs of all four through every step.
    type Inner: Number;

    /// a and p as [`Number::Inner`] numbers.
    fn inner(a: Self, p: Self) -> (Self::Inner, Self::Inner);

    /// The sum's third variable (z or w) as an [`Number::Inner`] number.
    fn inner_z(z: Self) -> Self::Inner;

    /// f(a, p, z), made in [`Number::Inner`] numbers, with its derivatives in the variables
    /// of a, p and z (or w).
    fn from_inner(f: Self::Inner, a: Self, p: Self, z: Self) -> Self;

    /// f(self) given f's value, slope f′ and curvature f″ at self's value.
    fn chain(self, value: f64, slope: f64, curvature: f64) -> Self;

    fn ln(self) -> Self {
        let v = self.value();
        self.chain(v.ln(), 1.0 / v, -1.0 / (v * v))
    }

    /// The derivatives of ln of this number, with the value 0: for a logarithm whose value
    /// is summed elsewhere ([`super::special::LogProduct`]).
    fn ln_slope(self) -> Self {
        let v = self.value();
        self.chain(0.0, 1.0 / v, -1.0 / (v * v))
    }

    fn ln_1p(self) -> Self {
        let v = self.value();
        let slope = 1.0 / (1.0 + v);
        self.chain(v.ln_1p(), slope, -slope * slope)
    }

    fn exp(self) -> Self {
        let e = self.value().exp();
        self.chain(e, e, e)
    }

    fn exp_m1(self) -> Self {
        let e = self.value().exp_m1();
        self.chain(e, e + 1.0, e + 1.0)
    }

    fn recip(self) -> Self {
        let r = 1.0 / self.value();
        self.chain(r, -r * r, 2.0 * r * r * r)
    }

    /// (eᵘ − 1)/u, 1 at u = 0, with its slope (u eᵘ − eᵘ + 1)/u² taken from the series
    /// where that difference cancels, and its curvature ((u² − 2u + 2) eᵘ − 2)/u³ likewise.
    fn exprel(self) -> Self {
        let u = self.value();
        let curvature = |e_u: f64| {
            if !Self::SECOND_ORDER {
                0.0
            } else if u.abs() < 0.1 {
                // Σₖ uᵏ / ((k+3) k!), to k = 9 (the next term is below 10⁻¹⁷ of 1/3).
                let (mut term, mut sum) = (1.0f64, 0.0f64);
                for k in 0..10 {
                    if k > 0 {
                        term *= u / f64::from(k);
                    }
                    sum += term / f64::from(k + 3);
                }
                sum
            } else {
                (e_u * (u * u - 2.0 * u + 2.0) - 2.0) / (u * u * u)
            }
        };
        if u.abs() < 1e-5 {
            return self.chain(1.0 + u / 2.0 + u * u / 6.0, 0.5 + u / 3.0, curvature(0.0));
        }
        let e = u.exp_m1();
        self.chain(e / u, (u * (e + 1.0) - e) / (u * u), curvature(e + 1.0))
    }
}

impl<const N: usize> Number for Dual<N> {
    const SECOND_ORDER: bool = false;

    fn constant(v: f64) -> Self {
        Dual::constant(v)
    }

    fn exp_of_variable(theta: f64, i: usize) -> Self {
        let v = theta.exp();
        let mut d = [0.0; N];
        if let Some(slot) = d.get_mut(i) {
            *slot = v;
        }
        Dual { v, d }
    }

    fn value(self) -> f64 {
        self.v
    }

    type Inner = Self;

    fn inner(a: Self, p: Self) -> (Self, Self) {
        (a, p)
    }

    fn inner_z(z: Self) -> Self {
        z
    }

    fn from_inner(f: Self, _a: Self, _p: Self, _z: Self) -> Self {
        f
    }

    fn chain(self, value: f64, slope: f64, _curvature: f64) -> Self {
        let mut d = self.d;
        for x in &mut d {
            *x *= slope;
        }
        Dual { v: value, d }
    }
}

impl<const N: usize> Add for Dual<N> {
    type Output = Self;
    fn add(mut self, o: Self) -> Self {
        self.v += o.v;
        for (x, y) in self.d.iter_mut().zip(o.d) {
            *x += y;
        }
        self
    }
}

impl<const N: usize> Sub for Dual<N> {
    type Output = Self;
    fn sub(mut self, o: Self) -> Self {
        self.v -= o.v;
        for (x, y) in self.d.iter_mut().zip(o.d) {
            *x -= y;
        }
        self
    }
}

impl<const N: usize> Mul for Dual<N> {
    type Output = Self;
    fn mul(self, o: Self) -> Self {
        let mut d = [0.0; N];
        for (i, x) in d.iter_mut().enumerate() {
            *x = self.d[i] * o.v + self.v * o.d[i];
        }
        Dual { v: self.v * o.v, d }
    }
}

impl<const N: usize> Div for Dual<N> {
    type Output = Self;
    fn div(self, o: Self) -> Self {
        let v = self.v / o.v;
        let mut d = [0.0; N];
        for (i, x) in d.iter_mut().enumerate() {
            *x = (self.d[i] - v * o.d[i]) / o.v;
        }
        Dual { v, d }
    }
}

impl<const N: usize> Neg for Dual<N> {
    type Output = Self;
    fn neg(self) -> Self {
        self.chain(-self.v, -1.0, 0.0)
    }
}

impl<const N: usize> Add<f64> for Dual<N> {
    type Output = Self;
    fn add(mut self, c: f64) -> Self {
        self.v += c;
        self
    }
}

impl<const N: usize> Sub<f64> for Dual<N> {
    type Output = Self;
    fn sub(mut self, c: f64) -> Self {
        self.v -= c;
        self
    }
}

impl<const N: usize> Mul<f64> for Dual<N> {
    type Output = Self;
    fn mul(self, c: f64) -> Self {
        self.chain(self.v * c, c, 0.0)
    }
}

impl<const N: usize> Div<f64> for Dual<N> {
    type Output = Self;
    fn div(self, c: f64) -> Self {
        self.chain(self.v / c, 1.0 / c, 0.0)
    }
}

/// The pairs (i, j), i ≤ j, of N variables, in the order [`Hyper`] keeps its second
/// derivatives (P = N(N+1)/2 of them).
const fn pairs<const N: usize, const P: usize>() -> [(usize, usize); P] {
    assert!(
        P == N * (N + 1) / 2,
        "P is the number of pairs of N variables"
    );
    let mut out = [(0, 0); P];
    let (mut i, mut k) = (0, 0);
    while i < N {
        let mut j = i;
        while j < N {
            out[k] = (i, j);
            k += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// A value with its first and second partial derivatives in N variables (P = N(N+1)/2
/// pairs of them): one pass of Pareto/NBD's likelihood in these numbers ([`Hyper4`], in the
/// four log-parameters) gives its Hessian, for Newton's method and the standard errors, where
/// differences of the gradient took eight passes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Hyper<const N: usize, const P: usize> {
    pub v: f64,
    /// ∂v/∂θᵢ.
    pub g: [f64; N],
    /// ∂²v/∂θᵢ∂θⱼ for the pairs of [`Hyper::PAIRS`].
    h: [f64; P],
}

/// Second derivatives in Pareto/NBD's four log-parameters.
pub(crate) type Hyper4 = Hyper<4, 10>;

/// Second derivatives in the three numbers Pareto/NBD's continued fraction or series
/// depends on ([`Number::Inner`]).
pub(crate) type Hyper3 = Hyper<3, 6>;

impl<const N: usize, const P: usize> Hyper<N, P> {
    const PAIRS: [(usize, usize); P] = pairs::<N, P>();

    /// The second derivatives as a full symmetric matrix.
    pub(crate) fn hessian(&self) -> [[f64; N]; N] {
        let mut m = [[0.0; N]; N];
        for (k, &(i, j)) in Self::PAIRS.iter().enumerate() {
            m[i][j] = self.h[k];
            m[j][i] = self.h[k];
        }
        m
    }

    /// The variable θᵢ itself, at `v`.
    fn variable(v: f64, i: usize) -> Self {
        let mut x = Self::constant(v);
        x.g[i] = 1.0;
        x
    }
}

impl<const N: usize, const P: usize> Number for Hyper<N, P> {
    const SECOND_ORDER: bool = true;
    type Inner = Hyper3;

    fn constant(v: f64) -> Self {
        Hyper {
            v,
            g: [0.0; N],
            h: [0.0; P],
        }
    }

    fn exp_of_variable(theta: f64, i: usize) -> Self {
        let mut x = Self::constant(theta.exp());
        x.g[i] = x.v;
        let diagonal = Self::PAIRS.iter().position(|&p| p == (i, i));
        x.h[diagonal.expect("a diagonal pair")] = x.v;
        x
    }

    fn value(self) -> f64 {
        self.v
    }

    #[inline]
    fn chain(self, value: f64, slope: f64, curvature: f64) -> Self {
        let mut h = [0.0; P];
        for (k, &(i, j)) in Self::PAIRS.iter().enumerate() {
            h[k] = slope * self.h[k] + curvature * self.g[i] * self.g[j];
        }
        Hyper {
            v: value,
            g: self.g.map(|x| x * slope),
            h,
        }
    }

    fn inner(a: Self, p: Self) -> (Hyper3, Hyper3) {
        (Hyper3::variable(a.v, 0), Hyper3::variable(p.v, 1))
    }

    fn inner_z(z: Self) -> Hyper3 {
        Hyper3::variable(z.v, 2)
    }

    /// By the chain rule through u = (a, p, z): f′ = Σ f_u u′ and
    /// f″ = Σ f_u u″ + Σ f_uv u′ v′ᵀ.
    fn from_inner(f: Hyper3, a: Self, p: Self, z: Self) -> Self {
        let u = [a, p, z];
        let fh = f.hessian();
        let mut g = [0.0; N];
        for (i, x) in g.iter_mut().enumerate() {
            *x = f.g[0] * u[0].g[i] + f.g[1] * u[1].g[i] + f.g[2] * u[2].g[i];
        }
        // m[k][j] = Σ_l f_kl ∂u_l/∂θⱼ.
        let mut m = [[0.0; N]; 3];
        for (k, row) in m.iter_mut().enumerate() {
            for (j, x) in row.iter_mut().enumerate() {
                *x = fh[k][0] * u[0].g[j] + fh[k][1] * u[1].g[j] + fh[k][2] * u[2].g[j];
            }
        }
        let mut h = [0.0; P];
        for (q, &(i, j)) in Self::PAIRS.iter().enumerate() {
            h[q] = (0..3)
                .map(|k| f.g[k] * u[k].h[q] + u[k].g[i] * m[k][j])
                .sum();
        }
        Hyper { v: f.v, g, h }
    }
}

impl<const N: usize, const P: usize> Add for Hyper<N, P> {
    type Output = Self;
    #[inline]
    fn add(mut self, o: Self) -> Self {
        self.v += o.v;
        for (x, y) in self.g.iter_mut().zip(o.g) {
            *x += y;
        }
        for (x, y) in self.h.iter_mut().zip(o.h) {
            *x += y;
        }
        self
    }
}

impl<const N: usize, const P: usize> Sub for Hyper<N, P> {
    type Output = Self;
    #[inline]
    fn sub(self, o: Self) -> Self {
        self + -o
    }
}

impl<const N: usize, const P: usize> Mul for Hyper<N, P> {
    type Output = Self;
    #[inline]
    fn mul(self, o: Self) -> Self {
        let mut h = [0.0; P];
        for (k, &(i, j)) in Self::PAIRS.iter().enumerate() {
            h[k] = self.h[k] * o.v + self.v * o.h[k] + self.g[i] * o.g[j] + self.g[j] * o.g[i];
        }
        let mut g = [0.0; N];
        for (i, x) in g.iter_mut().enumerate() {
            *x = self.g[i] * o.v + self.v * o.g[i];
        }
        Hyper {
            v: self.v * o.v,
            g,
            h,
        }
    }
}

impl<const N: usize, const P: usize> Div for Hyper<N, P> {
    type Output = Self;
    /// q = a/b from a = q·b: q′ = (a′ − q b′)/b and q″ = (a″ − q b″ − q′b′ᵀ − b′q′ᵀ)/b.
    #[inline]
    fn div(self, o: Self) -> Self {
        let v = self.v / o.v;
        let mut g = [0.0; N];
        for (i, x) in g.iter_mut().enumerate() {
            *x = (self.g[i] - v * o.g[i]) / o.v;
        }
        let mut h = [0.0; P];
        for (k, &(i, j)) in Self::PAIRS.iter().enumerate() {
            h[k] = (self.h[k] - v * o.h[k] - g[i] * o.g[j] - g[j] * o.g[i]) / o.v;
        }
        Hyper { v, g, h }
    }
}

impl<const N: usize, const P: usize> Neg for Hyper<N, P> {
    type Output = Self;
    #[inline]
    fn neg(self) -> Self {
        Hyper {
            v: -self.v,
            g: self.g.map(|x| -x),
            h: self.h.map(|x| -x),
        }
    }
}

impl<const N: usize, const P: usize> Add<f64> for Hyper<N, P> {
    type Output = Self;
    #[inline]
    fn add(mut self, c: f64) -> Self {
        self.v += c;
        self
    }
}

impl<const N: usize, const P: usize> Sub<f64> for Hyper<N, P> {
    type Output = Self;
    #[inline]
    fn sub(mut self, c: f64) -> Self {
        self.v -= c;
        self
    }
}

impl<const N: usize, const P: usize> Mul<f64> for Hyper<N, P> {
    type Output = Self;
    #[inline]
    fn mul(self, c: f64) -> Self {
        Hyper {
            v: self.v * c,
            g: self.g.map(|x| x * c),
            h: self.h.map(|x| x * c),
        }
    }
}

impl<const N: usize, const P: usize> Div<f64> for Hyper<N, P> {
    type Output = Self;
    #[inline]
    fn div(self, c: f64) -> Self {
        self.chain(self.v / c, 1.0 / c, 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each rule against a central difference of the same expression in f64.
    #[test]
    fn derivatives_match_differences() {
        let f = |x: Dual<1>| ((x * x + 1.0).ln() / (-x + 2.0)).exp_m1() + (x * 3.0).exprel();
        let g = |x: f64| ((x * x + 1.0).ln() / (2.0 - x)).exp_m1() + (3.0 * x).exp_m1() / (3.0 * x);
        for x in [0.3, 0.7, 1.4, -0.9] {
            let h = 1e-6;
            let numeric = (g(x + h) - g(x - h)) / (2.0 * h);
            let dual = f(Dual { v: x, d: [1.0] });
            assert!((dual.v - g(x)).abs() < 1e-14 * g(x).abs().max(1.0));
            assert!(
                (dual.d[0] - numeric).abs() < 1e-7,
                "{x}: {dual:?} vs {numeric}"
            );
        }
        // exprel's slope near 0, where the series takes over: ½ + u/3.
        let small = Dual { v: 1e-7, d: [1.0] }.exprel();
        assert!((small.d[0] - 0.5).abs() < 1e-7);
        let ln1p = Dual { v: 0.25, d: [2.0] }.ln_1p();
        assert_eq!(ln1p.d[0], 2.0 / 1.25);
    }

    /// Each rule's second derivative ([`Hyper`]) against a central difference of its first
    /// ([`Dual`]), and its value and first derivative the same as [`Dual`]'s to the bit;
    /// (eᵘ − 1)/u on both sides of where its curvature is taken from the series.
    #[test]
    fn second_derivatives_match_differences() {
        fn f<T: Number>(x: T) -> T {
            ((x * x + 1.0).ln() / (-x + 2.0)).exp_m1()
                + (x * 3.0).exprel()
                + (x * 0.05).exprel() * (x * 1e-6).exprel()
                + (x * x).recip().ln_1p()
                - (x * x).ln_slope()
                + (-x).exp() / (x * 2.0 + 5.0)
        }
        for x in [0.3, 0.7, 1.4, -0.9, 2.5] {
            let seeded = Hyper::<1, 1>::variable(x, 0);
            let second = f(seeded);
            let first = f(Dual { v: x, d: [1.0] });
            assert_eq!((second.v, second.g[0]), (first.v, first.d[0]));
            let h = 1e-5;
            let slope = |x: f64| f(Dual { v: x, d: [1.0] }).d[0];
            let numeric = (slope(x + h) - slope(x - h)) / (2.0 * h);
            let exact = second.hessian()[0][0];
            assert!(
                (exact - numeric).abs() < 1e-6 * numeric.abs().max(1.0),
                "{x}: {exact} vs {numeric}"
            );
        }
    }
}
