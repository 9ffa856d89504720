export type { GbdtModelJson, GbdtTreeJson } from './gbdt-json.js'
export { GbdtModel } from './gbdt-model.js'
export {
  GBDT_DEFAULTS,
  type GbdtObjective,
  type GbdtParams,
  type ResolvedGbdtParams,
} from './gbdt-params.js'
export { type GbdtData, type GbdtTrainOptions, trainGbdt } from './train-gbdt.js'
