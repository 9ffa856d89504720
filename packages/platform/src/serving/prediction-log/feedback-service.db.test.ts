import { openTestPostgresStore } from '../../storage/test-support/test-stores.js'
import { runFeedbackSuite } from './test-support/feedback-suite.js'

runFeedbackSuite(openTestPostgresStore)
