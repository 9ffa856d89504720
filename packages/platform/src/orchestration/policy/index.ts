export * from './policy-types.js'
export { parsePolicy, policyDocument, type PolicyRuleDocument } from './parse-policy.js'
export { evaluatePolicy, ruleText } from './evaluate-policy.js'
export {
  createDecisionService,
  type DecideInput,
  type DecisionService,
  type PromotionDecision,
} from './decision-service.js'
