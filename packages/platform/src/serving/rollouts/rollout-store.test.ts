import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import { runRolloutStoreSuite } from './test-support/rollout-store-suite.js'

runRolloutStoreSuite(openTestSqliteStore)
