import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import { runSearchExperimentsSuite } from './test-support/search-experiments-suite.js'

runSearchExperimentsSuite({ name: 'sqlite', open: openTestSqliteStore })
