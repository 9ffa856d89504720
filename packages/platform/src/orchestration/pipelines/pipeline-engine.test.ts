import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import { runPipelineEngineContract } from './test-support/pipeline-engine-contract.js'

runPipelineEngineContract({ name: 'SQLite', open: openTestSqliteStore })
