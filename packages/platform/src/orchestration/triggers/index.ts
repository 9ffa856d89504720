export { type CronSchedule, nextFire, parseCron } from './cron.js'
export { listFirings } from './firings-log.js'
export { checkTriggers } from './trigger-engine.js'
export { TriggerLoop, type TriggerLoopOptions } from './trigger-loop.js'
export {
  FIRING_OUTCOMES,
  type Firing,
  type FiringOutcome,
  TRIGGER_ACTOR,
  type TriggerCheck,
  type TriggerDependencies,
} from './trigger-types.js'
