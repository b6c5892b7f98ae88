#!/usr/bin/env python3
"""Independent figures for ln A0 of the Pareto/NBD likelihood, far from the CDNOW fit.

A0 is computed here from its definition as an integral, not from a 2F1 series and not from
the Rust code (which sums series and a continued fraction):

    A0 = (r+s+x) * integral over tx <= t <= T of (alpha+t)^-(r+x) * (beta+t)^-(s+1) dt

(Fader & Hardie 2005, note 009: the 2F1 form of A0 is this integral worked out.) The
integral is taken with mpmath's tanh-sinh quadrature at 40 significant digits. The cases
cover a rate and a lifetime far apart (alpha or beta thousands of times the other, where a
2F1 argument is within 1e-3 of 1), large r or s (a fit running to a boundary), many repeat
purchases, r + x or s + 1 a whole number, and tx near T. The Rust test
`model::purchase::tests::pareto_a0_matches_the_integral` pins what this prints.

It also prints the whole log-likelihood of one customer (eq. 22 of the note, with this A0)
at the point where a Pareto/NBD fit of customers who all buy at one steady rate stops
(r and alpha in the hundreds of thousands and millions): there the terms of the likelihood
are millions and cancel, and `model::purchase::tests::pareto_likelihood_at_a_boundary`
pins these values to check that the Rust code does not lose the digits in between.

Run: python3 core/tests/independent/pareto_a0.py   (needs mpmath)
"""
from mpmath import mp, mpf, quad, log, exp, loggamma

mp.dps = 40

# (r, alpha, s, beta, x, tx, T), weeks
CASES = [
    (0.5533, 10.578, 0.6062, 11.669, 2, 30.43, 38.86),   # CDNOW
    (0.5, 3.0, 0.7, 20.0, 1, 2.0, 30.0),
    (0.3, 1.0, 5.0, 500.0, 7, 20.0, 40.0),
    (0.3, 1.0, 5.0, 500.0, 0, 0.0, 40.0),
    (0.9, 2.0, 40.0, 4000.0, 3, 10.0, 52.0),               # beta/alpha = 2000
    (0.9, 2.0, 4000.0, 400000.0, 3, 10.0, 52.0),           # s, beta -> infinity
    (9000.0, 96000.0, 9.7, 106.5, 4, 30.0, 47.0),          # r, alpha -> infinity
    (1.0, 0.05, 0.8, 30.0, 0, 0.0, 60.0),                  # alpha tiny, x = 0
    (2.0, 5.0, 1.0, 8.0, 3, 12.0, 40.0),                   # r + x and s + 1 whole numbers
    (0.6, 6.0, 0.9, 31.0, 60, 50.0, 52.0),                 # many repeat purchases
    (0.6, 6.0, 0.9, 31.0, 5, 51.857142857142854, 52.0),    # tx one day before T
    (0.6, 31.0, 0.9, 6.0, 5, 20.0, 52.0),                  # alpha > beta
]


def log_a0(r, al, s, be, x, tx, T):
    # Relative to its value at tx (the integrand falls with t), so that the quadrature's
    # absolute tolerance is a relative one: A0 itself can be below 1e-40000.
    log_f = lambda t: -(r + x) * log(al + t) - (s + 1) * log(be + t)
    top = log_f(tx)
    f = lambda t: exp(log_f(t) - top)
    nodes = [tx + (T - tx) * k / 8 for k in range(9)]
    return log(r + s + x) + top + log(quad(f, nodes))


# (r, alpha, s, beta, x, tx, T), weeks: where the fit on `bench/gen.py --steady`'s file
# stops, and two points of CASES far from CDNOW.
BOUNDARY = [
    (227052.99796729122, 2374074.07368377, 120.61736238305605, 1543.6498926447252, 0, 0.0, 40.0),
    (227052.99796729122, 2374074.07368377, 120.61736238305605, 1543.6498926447252, 3, 20.0, 52.0),
    (227052.99796729122, 2374074.07368377, 120.61736238305605, 1543.6498926447252, 12, 50.0, 52.0),
    (227052.99796729122, 2374074.07368377, 120.61736238305605, 1543.6498926447252, 40, 51.0, 52.0),
    (0.9, 2.0, 4000.0, 400000.0, 3, 10.0, 52.0),
    (9000.0, 96000.0, 9.7, 106.5, 4, 30.0, 47.0),
]


def log_likelihood(r, al, s, be, x, tx, T):
    common = loggamma(r + x) - loggamma(r) + r * log(al) + s * log(be)
    alive = exp(-(r + x) * log(al + T) - s * log(be + T))
    dead = s / (r + s + x) * exp(log_a0(r, al, s, be, x, tx, T)) if tx < T else 0
    return common + log(alive + dead)


print("ln A0")
for case in CASES:
    print(f"{mp.nstr(log_a0(*[mpf(v) for v in case]), 17)}  # {case}")
print("log-likelihood at a boundary")
for case in BOUNDARY:
    print(f"{mp.nstr(log_likelihood(*[mpf(v) for v in case]), 20)}  # {case}")
