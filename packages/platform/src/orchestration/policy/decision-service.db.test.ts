import { describe } from 'vitest'
import { openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { runDecisionServiceContract } from './test-support/decision-service-contract.js'

describe('decision service on PostgreSQL', () => runDecisionServiceContract(openTestPostgresStore))
