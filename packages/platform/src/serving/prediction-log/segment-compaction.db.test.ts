import { openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { runCompactionSuite } from './test-support/compaction-suite.js'

runCompactionSuite(openTestPostgresStore)
