//! Forward-mode derivatives: a value carried with its partial derivatives in N variables,
//! so that one evaluation of Pareto/NBD's likelihood gives its gradient too (A₀ is a
//! continued fraction and a series, with no closed-form derivative in r and s). With N = 0
//! it is a plain number and costs what an `f64` costs: the value-only path is the same code.

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

    /// e^θ for the variable θᵢ = ln v: its derivative is v itself.
    pub(crate) fn exp_of_variable(theta: f64, i: usize) -> Self {
        let v = theta.exp();
        let mut d = [0.0; N];
        if let Some(slot) = d.get_mut(i) {
            *slot = v;
        }
        Dual { v, d }
    }

    /// f(self) given f's value and its slope f′ at self.v.
    fn chain(self, value: f64, slope: f64) -> Self {
        let mut d = self.d;
        for x in &mut d {
            *x *= slope;
        }
        Dual { v: value, d }
    }

    pub(crate) fn ln(self) -> Self {
        self.chain(self.v.ln(), 1.0 / self.v)
    }

    /// The derivatives of ln of this number, with the value 0: for a logarithm whose value
    /// is summed elsewhere ([`super::special::LogProduct`]).
    pub(crate) fn ln_slope(self) -> Self {
        self.chain(0.0, 1.0 / self.v)
    }

    pub(crate) fn ln_1p(self) -> Self {
        self.chain(self.v.ln_1p(), 1.0 / (1.0 + self.v))
    }

    pub(crate) fn exp(self) -> Self {
        let e = self.v.exp();
        self.chain(e, e)
    }

    pub(crate) fn exp_m1(self) -> Self {
        let e = self.v.exp_m1();
        self.chain(e, e + 1.0)
    }

    pub(crate) fn recip(self) -> Self {
        let r = 1.0 / self.v;
        self.chain(r, -r * r)
    }

    /// (eᵘ − 1)/u, 1 at u = 0, with its slope (u eᵘ − eᵘ + 1)/u² taken from the series
    /// where that difference cancels.
    pub(crate) fn exprel(self) -> Self {
        let u = self.v;
        if u.abs() < 1e-5 {
            return self.chain(1.0 + u / 2.0 + u * u / 6.0, 0.5 + u / 3.0);
        }
        let e = u.exp_m1();
        self.chain(e / u, (u * (e + 1.0) - e) / (u * u))
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
        self.chain(-self.v, -1.0)
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
        self.chain(self.v * c, c)
    }
}

impl<const N: usize> Div<f64> for Dual<N> {
    type Output = Self;
    fn div(self, c: f64) -> Self {
        self.chain(self.v / c, 1.0 / c)
    }
}

impl<const N: usize> Add<Dual<N>> for f64 {
    type Output = Dual<N>;
    fn add(self, x: Dual<N>) -> Dual<N> {
        x + self
    }
}

impl<const N: usize> Sub<Dual<N>> for f64 {
    type Output = Dual<N>;
    fn sub(self, x: Dual<N>) -> Dual<N> {
        -x + self
    }
}

impl<const N: usize> Mul<Dual<N>> for f64 {
    type Output = Dual<N>;
    fn mul(self, x: Dual<N>) -> Dual<N> {
        x * self
    }
}

impl<const N: usize> Div<Dual<N>> for f64 {
    type Output = Dual<N>;
    fn div(self, x: Dual<N>) -> Dual<N> {
        Dual::constant(self) / x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each rule against a central difference of the same expression in f64.
    #[test]
    fn derivatives_match_differences() {
        let f = |x: Dual<1>| ((x * x + 1.0).ln() / (2.0 - x)).exp_m1() + (x * 3.0).exprel();
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
}
