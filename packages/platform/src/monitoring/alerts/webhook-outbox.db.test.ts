import { describe } from 'vitest'
import {
  openTestPostgresStore,
  openTestSqliteStore,
} from '../../storage/test-support/test-stores.js'
import { runWebhookOutboxContract } from './test-support/webhook-outbox-contract.js'

describe('webhook outbox claims and leases on SQLite', () => {
  runWebhookOutboxContract({ open: openTestSqliteStore })
})

describe('webhook outbox claims and leases on PostgreSQL', () => {
  runWebhookOutboxContract({ open: openTestPostgresStore })
})
