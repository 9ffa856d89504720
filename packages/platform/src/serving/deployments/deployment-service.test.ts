import { describe } from 'vitest'
import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import { runDeploymentServiceContract } from './test-support/deployment-service-contract.js'

describe('DeploymentService on SQLite', () => {
  runDeploymentServiceContract({ open: openTestSqliteStore })
})
