import { openTestPostgresStore } from '../test-support/test-stores.js'
import { runJobQueueContract } from './test-support/job-queue-contract.js'

runJobQueueContract({ name: 'PostgreSQL', open: openTestPostgresStore })
