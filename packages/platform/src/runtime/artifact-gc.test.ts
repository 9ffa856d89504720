import { openTestSqliteStore } from '../storage/test-support/test-stores.js'
import { runArtifactGcSuite } from './test-support/artifact-gc-suite.js'

runArtifactGcSuite(openTestSqliteStore)
