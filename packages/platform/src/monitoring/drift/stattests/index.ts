import type { StatTest } from '../stattest.js'
import { andersonDarlingStatTest } from './anderson-darling.js'
import { cramerVonMisesStatTest } from './cramer-von-mises.js'
import { empiricalMmdStatTest } from './empirical-mmd.js'
import { energyDistanceStatTest } from './energy-distance.js'
import { ksStatTest } from './ks.js'
import { mannWhitneyStatTest } from './mann-whitney.js'
import { tTestStatTest } from './t-test.js'
import { wassersteinStatTest } from './wasserstein.js'
import { chisquareStatTest } from './chisquare.js'
import { fisherExactStatTest } from './fisher-exact.js'
import { gTestStatTest } from './g-test.js'
import { hellingerStatTest } from './hellinger.js'
import { jensenshannonStatTest } from './jensenshannon.js'
import { klDivStatTest } from './kl-div.js'
import { psiStatTest } from './psi.js'
import { tvdStatTest } from './tvd.js'
import { zStatTest } from './z.js'

/** Every drift test by Evidently's id. */
export const STAT_TESTS: Record<string, StatTest> = {
  ks: ksStatTest,
  wasserstein: wassersteinStatTest,
  ed: energyDistanceStatTest,
  cramer_von_mises: cramerVonMisesStatTest,
  anderson: andersonDarlingStatTest,
  mannw: mannWhitneyStatTest,
  t_test: tTestStatTest,
  empirical_mmd: empiricalMmdStatTest,
  chisquare: chisquareStatTest,
  z: zStatTest,
  jensenshannon: jensenshannonStatTest,
  psi: psiStatTest,
  kl_div: klDivStatTest,
  hellinger: hellingerStatTest,
  fisher_exact: fisherExactStatTest,
  g_test: gTestStatTest,
  TVD: tvdStatTest,
}
