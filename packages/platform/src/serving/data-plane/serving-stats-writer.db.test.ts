import { openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { runServingStatsSuite } from './test-support/serving-stats-suite.js'

runServingStatsSuite(openTestPostgresStore)
