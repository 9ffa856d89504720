export {
  PipelineBuilder,
  STEP_OUTPUTS,
  definePipeline,
  ref,
  type PipelineHead,
  type StepHandle,
  type StepOutputKey,
} from './pipeline-builder.js'
export type * from './pipeline-definition.js'
export type { StageOptions } from './pipeline-files.js'
export { Pipelines, type RunOptions, type WaitOptions } from './pipelines-client.js'
