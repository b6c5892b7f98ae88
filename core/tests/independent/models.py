#!/usr/bin/env python3
"""Independent figures for the purchase-count models (pure Python, no dependencies).

Written straight from the papers' printed formulas, with a plain 2F1 power series, not
from the Rust code: the Rust test `model::purchase_checks` pins what this prints.

- BG/NBD: Fader, Hardie & Lee (2005), eqs. 7, 10 and the P(alive) note.
- Pareto/NBD: Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related
  Expressions", eqs. 18-27 (the A0 form for alpha >= beta and alpha < beta).
- MBG/NBD: Batislam, Denizel & Filiztekin (2007).

Run: python3 core/tests/independent/models.py
"""
from math import exp, log, lgamma


def hyp2f1(a, b, c, z, terms=100000):
    term, total = 1.0, 1.0
    for n in range(terms):
        term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
        total += term
        if abs(term) < 1e-17 * abs(total):
            break
    return total


# ---- BG/NBD -------------------------------------------------------------------------
def bg_palive(p, x, tx, T):
    r, al, a, b = p
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + a / (b + x - 1) * ((al + T) / (al + tx)) ** (r + x))


def bg_ex(p, t):
    r, al, a, b = p
    return (a + b - 1) / (a - 1) * (1 - (al / (al + t)) ** r * hyp2f1(r, b, a + b - 1, t / (al + t)))


def bg_ey(p, x, tx, T, t):
    r, al, a, b = p
    z = t / (al + T + t)
    br = 1 - ((al + T) / (al + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    return (a + b + x - 1) / (a - 1) * br * bg_palive(p, x, tx, T)


# ---- Pareto/NBD ---------------------------------------------------------------------
def pareto_a0(p, x, tx, T):
    r, al, s, be = p
    rsx = r + s + x
    if al >= be:
        f = lambda y: hyp2f1(rsx, s + 1, rsx + 1, (al - be) / (al + y)) / (al + y) ** rsx
    else:
        f = lambda y: hyp2f1(rsx, r + x, rsx + 1, (be - al) / (be + y)) / (be + y) ** rsx
    return f(tx) - f(T)


def pareto_palive(p, x, tx, T):
    r, al, s, be = p
    return 1.0 / (1.0 + s / (r + s + x) * (al + T) ** (r + x) * (be + T) ** s * pareto_a0(p, x, tx, T))


def pareto_ex(p, t):
    r, al, s, be = p
    return r * be / (al * (s - 1)) * (1 - (be / (be + t)) ** (s - 1))


def pareto_ey(p, x, tx, T, t):
    r, al, s, be = p
    return ((r + x) * (be + T) / ((al + T) * (s - 1)) * (1 - ((be + T) / (be + T + t)) ** (s - 1))
            * pareto_palive(p, x, tx, T))


def pareto_ll(p, x, tx, T):
    r, al, s, be = p
    a = exp(lgamma(r + x) - lgamma(r)) * al ** r * be ** s
    return log(a * (1 / ((al + T) ** (r + x) * (be + T) ** s) + s / (r + s + x) * pareto_a0(p, x, tx, T)))


# ---- MBG/NBD ------------------------------------------------------------------------
def mbg_palive(p, x, tx, T):
    r, al, a, b = p
    return 1.0 / (1.0 + a / (b + x) * ((al + T) / (al + tx)) ** (r + x))


def mbg_ll(p, x, tx, T):
    # Batislam et al. (2007), eq. 3: B(a, b+x+1)/B(a, b) * G(r+x) al^r / (G(r) (al+T)^(r+x))
    #   * [1 + a/(b+x) ((al+T)/(al+tx))^(r+x)]
    r, al, a, b = p
    log_beta = lgamma(b + x + 1) + lgamma(a + b) - lgamma(b) - lgamma(a + b + x + 1)
    log_nbd = lgamma(r + x) - lgamma(r) + r * log(al) - (r + x) * log(al + T)
    return log_beta + log_nbd + log(1 + a / (b + x) * ((al + T) / (al + tx)) ** (r + x))


def mbg_ex(p, t):
    r, al, a, b = p
    return b / (a - 1) * (1 - (al / (al + t)) ** r * hyp2f1(r, b + 1, a + b, t / (al + t)))


def mbg_ey(p, x, tx, T, t):
    r, al, a, b = p
    z = t / (al + T + t)
    br = 1 - ((al + T) / (al + T + t)) ** (r + x) * hyp2f1(r + x, b + x + 1, a + b + x, z)
    return (a + b + x) / (a - 1) * br * mbg_palive(p, x, tx, T)


MODELS = {
    "bg_nbd": ((0.243, 4.414, 0.793, 2.426), bg_palive, bg_ex, bg_ey),
    "pareto_nbd": ((0.5533, 10.578, 0.6062, 11.669), pareto_palive, pareto_ex, pareto_ey),
    "mbg_nbd": ((0.5248, 6.183, 0.8914, 1.614), mbg_palive, mbg_ex, mbg_ey),
}
# (x, t_x, T) in weeks
CUSTOMERS = [(0, 0.0, 38.86), (1, 2.0, 30.0), (2, 30.43, 38.86), (5, 10.0, 38.0), (7, 35.0, 38.0)]

if __name__ == "__main__":
    for name, (p, palive, ex, ey) in MODELS.items():
        print(f"{name} E[X(39)] = {ex(p, 39.0):.10f}  E[X(78)] = {ex(p, 78.0):.10f}")
        for x, tx, T in CUSTOMERS:
            print(f"{name} x={x} tx={tx} T={T}: P(alive) = {palive(p, x, tx, T):.10f}"
                  f"  E[Y(39)] = {ey(p, x, tx, T, 39.0):.10f}")
    p = MODELS["pareto_nbd"][0]
    print(f"pareto_nbd LL(2, 30.43, 38.86) = {pareto_ll(p, 2, 30.43, 38.86):.10f}")
    p = MODELS["mbg_nbd"][0]
    for x, tx, T in [(0, 0.0, 38.86), (2, 30.43, 38.86), (7, 35.0, 38.0)]:
        print(f"mbg_nbd LL({x}, {tx}, {T}) = {mbg_ll(p, x, tx, T):.10f}")
