export {
  createRolloutStore,
  type NewRollout,
  type Rollout,
  type RolloutFigures,
  type RolloutStatus,
  type RolloutStore,
} from './rollout-store.js'
export { labelledAccuracy, type VersionAccuracy } from './labelled-accuracy.js'
