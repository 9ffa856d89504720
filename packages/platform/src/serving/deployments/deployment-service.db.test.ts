import { describe } from 'vitest'
import { openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { runDeploymentServiceContract } from './test-support/deployment-service-contract.js'

describe('DeploymentService on PostgreSQL', () => {
  runDeploymentServiceContract({ open: openTestPostgresStore })
})
