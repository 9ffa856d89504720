import { describe } from 'vitest'
import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import { runDecisionServiceContract } from './test-support/decision-service-contract.js'

describe('decision service on SQLite', () => runDecisionServiceContract(openTestSqliteStore))
