# Independent reference for the concept-drift detectors: River's definitions (river.drift ADWIN,
# PageHinkley, KSWIN; river.drift.binary DDM, EDDM) re-implemented in plain Python, run on
# seeded streams. Input `data` = {"cases": [{"detector", "options", "stream"}]}; output, per case,
# the stream and the indices where the detector warned and where it signalled a drift.
import math
import random

from scipy import stats as sps


class Adwin:
    def __init__(self, delta=0.002, clock=32, max_buckets=5, min_window_length=5, grace_period=10):
        self.delta, self.clock, self.max_buckets = delta, clock, max_buckets
        self.min_window_length, self.grace_period = min_window_length, grace_period
        self.reset()

    def reset(self):
        # rows[i] is a list of [total, variance] buckets of 2**i values each, oldest first
        self.rows = [[]]
        self.total = self.variance = self.width = 0.0
        self.tick = 0
        self.drift = False
        self.warning = False

    def update(self, x):
        if self.drift:
            self.reset()
        self.rows[0].append([x, 0.0])
        self.width += 1
        if self.width > 1.0:
            m = self.total / (self.width - 1.0)
            self.variance += (self.width - 1.0) * (x - m) * (x - m) / self.width
        self.total += x
        idx = 0
        while idx < len(self.rows) and len(self.rows[idx]) == self.max_buckets + 1:
            if idx + 1 == len(self.rows):
                self.rows.append([])
            row, nxt = self.rows[idx], self.rows[idx + 1]
            n1 = float(2**idx)
            mu1, mu2 = row[0][0] / n1, row[1][0] / n1
            temp = n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2)
            nxt.append([row[0][0] + row[1][0], row[0][1] + row[1][1] + temp])
            del row[0:2]
            if len(nxt) <= self.max_buckets:
                break
            idx += 1
        self.drift = self._detect()

    def _delete_oldest(self):
        last = len(self.rows) - 1
        n = float(2**last)
        u, v = self.rows[last][0]
        mu = u / n
        self.width -= n
        self.total -= u
        mw = self.total / self.width
        self.variance -= v + n * self.width * (mu - mw) * (mu - mw) / (n + self.width)
        del self.rows[last][0]
        if not self.rows[last]:
            self.rows.pop()
        return n

    def _cut(self, n0, n1, delta_mean):
        dp = math.log(2 * math.log(self.width) / self.delta)
        m = 1.0 / (n0 - self.min_window_length + 1) + 1.0 / (n1 - self.min_window_length + 1)
        eps = math.sqrt(2 * m * (self.variance / self.width) * dp) + 2.0 / 3.0 * dp * m
        return abs(delta_mean) > eps

    def _detect(self):
        changed = False
        self.tick += 1
        if self.tick % self.clock != 0 or self.width <= self.grace_period:
            return False
        reduce = True
        while reduce:
            reduce = False
            stop = False
            n0, n1, u0, u1 = 0.0, self.width, 0.0, self.total
            for idx in range(len(self.rows) - 1, -1, -1):
                if stop:
                    break
                row = self.rows[idx]
                size = float(2**idx)
                for k in range(len(row)):
                    n0 += size
                    n1 -= size
                    u0 += row[k][0]
                    u1 -= row[k][0]
                    if idx == 0 and k == len(row) - 1:
                        stop = True
                        break
                    if (
                        n1 >= self.min_window_length
                        and n0 >= self.min_window_length
                        and self._cut(n0, n1, u0 / n0 - u1 / n1)
                    ):
                        reduce = changed = True
                        if self.width > 0:
                            self._delete_oldest()
                            stop = True
                            break
        return changed


class Ddm:
    def __init__(self, warm_start=30, warning_threshold=2.0, drift_threshold=3.0):
        self.warm_start, self.wt, self.dt = warm_start, warning_threshold, drift_threshold
        self.reset()

    def reset(self):
        self.n, self.p = 0, 0.0
        self.p_min = self.s_min = self.ps_min = float("inf")
        self.drift = self.warning = False

    def update(self, x):
        if self.drift:
            self.reset()
        self.n += 1
        self.p += (x - self.p) / self.n
        s = math.sqrt(self.p * (1 - self.p) / self.n)
        if self.n > self.warm_start:
            if self.p + s <= self.ps_min:
                self.p_min, self.s_min = self.p, s
                self.ps_min = self.p_min + self.s_min
            self.warning = self.p + s > self.p_min + self.wt * self.s_min
            if self.p + s > self.p_min + self.dt * self.s_min:
                self.drift, self.warning = True, False


class Eddm:
    def __init__(self, warm_start=30, alpha=0.95, beta=0.9):
        self.warm_start, self.alpha, self.beta = warm_start, alpha, beta
        self.reset()

    def reset(self):
        self.n = self.last_error = self.n_errors = 0
        self.count, self.mean, self.var = 0, 0.0, 0.0
        self.p2s_max = -1
        self.drift = self.warning = False

    def update(self, x):
        if self.drift:
            self.reset()
        self.n += 1
        if x == 1:
            self.n_errors += 1
            d = self.n - self.last_error
            old = self.mean
            self.count += 1
            self.mean += (d - self.mean) / self.count
            if self.count > 1:
                self.var += ((d - old) * (d - self.mean) - self.var) / (self.count - 1)
            if self.n > self.warm_start:
                p2s = self.mean + 2 * math.sqrt(self.var)
                if p2s > self.p2s_max:
                    self.p2s_max = p2s
                elif self.n_errors > self.warm_start:
                    level = p2s / self.p2s_max
                    if level < self.beta:
                        self.drift = True
                    elif level < self.alpha:
                        self.warning = True
                    else:
                        self.warning = False
            self.last_error = self.n


class PageHinkley:
    def __init__(self, min_instances=30, delta=0.005, threshold=50.0, alpha=1 - 0.0001, mode="both"):
        self.min_instances, self.delta, self.threshold = min_instances, delta, threshold
        self.alpha, self.mode = alpha, mode
        self.reset()

    def reset(self):
        self.n, self.mean = 0, 0.0
        self.inc = self.dec = 0.0
        self.min_inc, self.max_dec = float("inf"), -1
        self.drift = self.warning = False

    def update(self, x):
        if self.drift:
            self.reset()
        self.n += 1
        self.mean += (x - self.mean) / self.n
        dev = x - self.mean
        self.inc = self.alpha * self.inc + dev - self.delta
        self.dec = self.alpha * self.dec + dev + self.delta
        self.min_inc = min(self.min_inc, self.inc)
        self.max_dec = max(self.max_dec, self.dec)
        if self.n >= self.min_instances:
            up = self.inc - self.min_inc > self.threshold
            down = self.max_dec - self.dec > self.threshold
            self.drift = {"up": up, "down": down, "both": up or down}[self.mode]


class Kswin:
    def __init__(self, alpha=0.005, window_size=100, stat_size=30, seed=None):
        self.alpha, self.window_size, self.stat_size, self.seed = alpha, window_size, stat_size, seed
        self.reset()

    def reset(self):
        self.window = []
        self.rng = random.Random(self.seed)
        self.drift = self.warning = False

    def update(self, x):
        if self.drift:
            self.reset()
        self.window.append(x)
        self.window = self.window[-self.window_size :]
        self.drift = False
        if len(self.window) >= self.window_size:
            older = self.window_size - self.stat_size
            sampled = [self.window[r] for r in self.rng.sample(range(older), self.stat_size)]
            recent = self.window[older:]
            st, p = sps.ks_2samp(sampled, recent, method="auto")
            if p <= self.alpha and st > 0.1:
                self.drift = True
                self.window = list(recent)


DETECTORS = {"adwin": Adwin, "ddm": Ddm, "eddm": Eddm, "page-hinkley": PageHinkley, "kswin": Kswin}


def make_stream(spec):
    rng = np.random.default_rng(spec["seed"])
    n = spec["n"]
    kind = spec["kind"]
    at = spec.get("at", n // 2)
    width = spec.get("width", 1)
    # fraction of the new concept at each index: 0 before `at`, ramping to 1 over `width` values
    mix = np.clip((np.arange(n) - at + 1) / width, 0.0, 1.0)
    if kind == "binary":
        p = spec["p0"] + (spec["p1"] - spec["p0"]) * mix
        return (rng.random(n) < p).astype(int).tolist()
    mu = spec["mu0"] + (spec["mu1"] - spec["mu0"]) * mix
    return (mu + rng.standard_normal(n) * spec.get("sd", 1.0)).tolist()


results = []
for case in data["cases"]:
    stream = make_stream(case["stream"])
    det = DETECTORS[case["detector"]](**case.get("options", {}))
    warnings, drifts = [], []
    for i, x in enumerate(stream):
        det.update(x)
        if det.warning:
            warnings.append(i)
        if det.drift:
            drifts.append(i)
    results.append({"stream": stream, "warnings": warnings, "drifts": drifts})
print(json.dumps(results))
