import { InvalidParameterError } from '@ballast/contracts'
import type { StepCatalog, StepKindName } from '../../orchestration/index.js'
import { commandStep } from './command-step.js'
import { deployStep } from './deploy-step.js'
import { EVALUATE_STEP } from './evaluate-step.js'
import { ingestStep } from './ingest-step.js'
import { registerStep } from './register-step.js'
import type { StepKind } from './step-types.js'
import { trainStep } from './train-step.js'
import { validateStep } from './validate-step.js'

export type { StepContext, StepKind } from './step-types.js'

/** The step kinds this build runs, by name. Each kind adds its line. */
export const STEP_KIND_REGISTRY: Partial<Record<StepKindName, StepKind>> = {
  ingest: ingestStep,
  validate: validateStep,
  train: trainStep,
  register: registerStep,
  command: commandStep,
  evaluate: EVALUATE_STEP,
  deploy: deployStep,
}

export function stepKind(kind: StepKindName): StepKind {
  const found = STEP_KIND_REGISTRY[kind]
  if (found === undefined) {
    throw new InvalidParameterError(`step kind '${kind}' is not available on this server`)
  }
  return found
}

/** The registry as the pipeline spec checks see it. */
export const STEP_CATALOG: StepCatalog = {
  has: (kind) => STEP_KIND_REGISTRY[kind] !== undefined,
  validate: (kind, inputs, field) => stepKind(kind).validate(inputs, field),
  fileInputs: (kind) => STEP_KIND_REGISTRY[kind]?.fileInputs ?? [],
}
