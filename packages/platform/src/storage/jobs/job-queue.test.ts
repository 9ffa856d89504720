import { openTestSqliteStore } from '../test-support/test-stores.js'
import { runJobQueueContract } from './test-support/job-queue-contract.js'

runJobQueueContract({ name: 'SQLite', open: openTestSqliteStore })
