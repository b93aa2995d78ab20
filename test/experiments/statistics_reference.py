"""The experiment statistics worked out apart from the TypeScript module, with SciPy, as the tests' reference.

Reads a JSON list of cases on standard input and writes the figures of each as JSON. Closed forms come from
scipy.stats; the Bayesian figures are integrated numerically with scipy.integrate, not by the module's grid.
"""
import json
import math
import sys

from scipy import integrate, stats

Z = stats.norm.ppf(0.975)


def value(arm, kind):
    return arm["converted"] / arm["units"] if kind == "conversion" else arm["sum"] / arm["units"]


def variance(arm, kind):
    n = arm["units"]
    if n < 2:
        return 0.0
    if kind == "conversion":
        p = arm["converted"] / n
        return p * (1 - p) * n / (n - 1)
    return max(0.0, (arm["sumOfSquares"] - arm["sum"] ** 2 / n) / (n - 1))


def estimate(arm, kind):
    n = arm["units"]
    if kind == "conversion":
        interval = stats.binomtest(arm["converted"], n).proportion_ci(0.95, method="wilson")
        return {"value": arm["converted"] / n, "interval": [interval.low, interval.high]}
    mean = arm["sum"] / n
    sd = math.sqrt(variance(arm, kind) / n)
    low, high = stats.norm.interval(0.95, loc=mean, scale=sd) if sd > 0 else (mean, mean)
    return {"value": mean, "interval": [low, high]}


def beta_figures(control, treatment):
    ac, bc = 1 + control["converted"], 1 + control["units"] - control["converted"]
    at, bt = 1 + treatment["converted"], 1 + treatment["units"] - treatment["converted"]
    posterior_t, posterior_c = stats.beta(at, bt), stats.beta(ac, bc)
    low, high = posterior_t.ppf(1e-12), posterior_t.ppf(1 - 1e-12)
    probability = integrate.quad(lambda t: posterior_t.pdf(t) * posterior_c.cdf(t), low, high, limit=200)[0]
    # E[max(C - T, 0)]: for each t, the part of C's mean above t, less t times C's mass above t.
    def shortfall(t):
        above = posterior_c.sf(t)
        mean_above = integrate.quad(lambda c: c * posterior_c.pdf(c), t, 1, limit=200)[0]
        return mean_above - t * above

    loss = integrate.quad(lambda t: posterior_t.pdf(t) * shortfall(t), low, high, limit=200)[0]
    return probability, loss


def compare(control, treatment, kind):
    mc, mt = value(control, kind), value(treatment, kind)
    vc, vt = variance(control, kind), variance(treatment, kind)
    nc, nt = control["units"], treatment["units"]
    sd = math.sqrt(vt / nt + vc / nc)
    p_value = 2 * stats.norm.sf(abs(mt - mc) / sd) if sd > 0 else 1.0
    lift = interval = None
    if mc != 0:
        lift = mt / mc - 1
        lift_sd = math.sqrt(vt / (nt * mc * mc) + mt * mt * vc / (nc * mc ** 4))
        interval = [lift - Z * lift_sd, lift + Z * lift_sd]
    if kind == "conversion":
        probability, loss = beta_figures(control, treatment)
    elif sd == 0:
        difference = mt - mc
        probability, loss = (1.0 if difference > 0 else 0.0 if difference < 0 else 0.5), max(0.0, -difference)
    else:
        posterior = stats.norm(loc=mt - mc, scale=sd)
        probability = posterior.sf(0)
        loss = posterior.expect(lambda d: max(-d, 0.0))
    # The mixture SPRT's always-valid p-value, from its definition: 1 / the mixture likelihood ratio, at most 1.
    scale = abs(mc) or math.sqrt(vc)
    tau2 = (0.1 * scale) ** 2
    if nc < 2 or nt < 2 or sd == 0 or tau2 == 0:
        sequential = 1.0
    else:
        v = sd * sd
        ratio = math.sqrt(v / (v + tau2)) * math.exp(tau2 * (mt - mc) ** 2 / (2 * v * (v + tau2)))
        sequential = min(1.0, 1 / ratio)
    return {
        "lift": lift,
        "liftInterval": interval,
        "pValue": min(1.0, p_value),
        "probabilityToBeatControl": probability,
        "expectedLoss": loss,
        "sequentialPValue": sequential,
    }


def sample_ratio(units, allocation):
    variations = sorted(allocation, key=int)
    observed = [units.get(variation, 0) for variation in variations]
    total, shares = sum(observed), sum(allocation[v] for v in variations)
    expected = [total * allocation[v] / shares for v in variations]
    result = stats.chisquare(observed, expected)
    return {"chiSquare": result.statistic, "pValue": result.pvalue}


cases = json.load(sys.stdin)
json.dump(
    [
        {
            "control": estimate(case["control"], case["kind"]),
            "treatment": estimate(case["treatment"], case["kind"]),
            "comparison": compare(case["control"], case["treatment"], case["kind"]),
            "sampleRatio": sample_ratio(
                {"0": case["control"]["units"], "1": case["treatment"]["units"]}, case["allocation"]
            ),
        }
        for case in cases
    ],
    sys.stdout,
)
