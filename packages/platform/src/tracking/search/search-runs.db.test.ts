import { openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { runSearchRunsSuite } from './test-support/search-runs-suite.js'

runSearchRunsSuite({ name: 'postgres', open: openTestPostgresStore })
