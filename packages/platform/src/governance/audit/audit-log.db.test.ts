import { describe } from 'vitest'
import { openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { runAuditContract } from './test-support/audit-contract.js'

describe('audit log on PostgreSQL', () => {
  runAuditContract({ open: openTestPostgresStore })
})
