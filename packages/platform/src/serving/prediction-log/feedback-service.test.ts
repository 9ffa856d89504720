import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import { runFeedbackSuite } from './test-support/feedback-suite.js'

runFeedbackSuite(openTestSqliteStore)
