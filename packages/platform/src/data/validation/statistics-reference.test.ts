import { parseExpectationSuite } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ParquetFixture, parquetFixture } from './test-support/parquet-fixture.js'
import { validateDataset } from './validate-dataset.js'

/**
 * Reference values from numpy 1.x on the same 4,000 rows (every 97th row null, 3,958 values):
 *   i = np.arange(4000); keep = i % 97 != 0
 *   v = ((i * 7919) % 10007) / 13.0 - ((i * 104729) % 101); m = (i * 7919) % 10007
 *   np.median(v[keep]), np.std(v[keep], ddof=1), np.mean(v[keep])
 *   np.median(m[keep]), np.std(m[keep], ddof=1)
 */
const NUMPY = {
  v: { median: 335.8076923076923, stdev: 223.9897600954813, mean: 335.23654137676374 },
  m: { median: 5010.5, stdev: 2889.4075509058557 },
}

describe('median, stdev and mean against numpy', () => {
  let fixture: ParquetFixture
  let file: string
  beforeAll(async () => {
    fixture = await parquetFixture()
    file = await fixture.write(
      'seeded',
      `SELECT
         CASE WHEN i % 97 = 0 THEN NULL
              ELSE ((i * 7919) % 10007)::DOUBLE / 13 - ((i * 104729) % 101) END AS v,
         CASE WHEN i % 97 = 0 THEN NULL ELSE (i * 7919) % 10007 END AS m
       FROM range(4000) AS r(i)`,
    )
  })
  afterAll(() => fixture.dispose())

  it('matches np.median (mean of the two middles), np.std(ddof=1) and np.mean', async () => {
    const suite = parseExpectationSuite({
      expectations: [
        ['median', 'v'],
        ['stdev', 'v'],
        ['mean', 'v'],
        ['median', 'm'],
        ['stdev', 'm'],
      ].map(([stat, column]) => ({
        expectation_type: `expect_column_${stat}_to_be_between`,
        kwargs: { column, min_value: 0 },
      })),
    })
    const observed = (await validateDataset(fixture.engine, file, suite)).results.map(
      (r) => r.result.observed_value as number,
    )
    const expected = [NUMPY.v.median, NUMPY.v.stdev, NUMPY.v.mean, NUMPY.m.median, NUMPY.m.stdev]
    observed.forEach((value, i) => {
      expect(Math.abs(value - expected[i]!) / expected[i]!).toBeLessThan(1e-12)
    })
  })
})
