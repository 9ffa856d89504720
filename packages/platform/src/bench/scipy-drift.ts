import { execFileSync } from 'node:child_process'

/**
 * Evidently's default drift tests for numerical columns with more than 1000 reference rows,
 * written with numpy's loading and scipy's kernels: jensenshannon over per-value shares when both
 * samples hold ≤ 5 distinct values, else wasserstein_distance / max(std(reference), 0.001).
 * Times are taken inside Python, so interpreter start-up and JSON are not counted.
 */
const SCRIPT = String.raw`
import json, sys, time
import numpy as np
from scipy import stats
from scipy.spatial import distance

ref_file, cur_file, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])

def select(r, c):
    # Evidently counts distinct values over both samples to pick the test.
    return 'jensenshannon' if np.unique(np.concatenate([r, c])).size <= 5 else 'wasserstein'

def score(test, r, c):
    if test == 'wasserstein':
        return stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)
    keys = np.unique(np.concatenate([r, c]))
    rs = np.bincount(np.searchsorted(keys, r), minlength=keys.size) / r.size
    cs = np.bincount(np.searchsorted(keys, c), minlength=keys.size) / c.size
    return distance.jensenshannon(rs, cs, 2)

def clock(fn):
    start = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - start) * 1000

with_load, with_select, tests_only = [], [], []
for _ in range(repeats):
    (ref, cur), load_ms = clock(lambda: (np.load(ref_file), np.load(cur_file)))
    tests, select_ms = clock(lambda: [select(r, c) for r, c in zip(ref, cur)])
    scores, test_ms = clock(lambda: [float(score(t, r, c)) for t, r, c in zip(tests, ref, cur)])
    with_load.append(load_ms + select_ms + test_ms)
    with_select.append(select_ms + test_ms)
    tests_only.append(test_ms)

print(json.dumps({'tests': tests, 'scores': scores, 'withLoadMs': float(np.median(with_load)),
                  'withSelectionMs': float(np.median(with_select)),
                  'testsOnlyMs': float(np.median(tests_only))}))
`

export interface ScipyDrift {
  /** Test id per column, as Evidently's default selection picks it. */
  tests: string[]
  scores: number[]
  /** Medians over the repeats: loading both files, choosing the tests and running them. */
  withLoadMs: number
  /** Choosing the tests and running them on loaded arrays. */
  withSelectionMs: number
  /** The scipy test kernels alone. */
  testsOnlyMs: number
}

/** Runs the reference on two `.npy` files of shape (columns, rows). */
export function scipyDrift(
  referenceFile: string,
  currentFile: string,
  repeats: number,
): ScipyDrift {
  const out = execFileSync('python3', ['-c', SCRIPT, referenceFile, currentFile, String(repeats)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  })
  return JSON.parse(out) as ScipyDrift
}
