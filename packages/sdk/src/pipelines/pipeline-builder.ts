import { InvalidParameterError } from '@ballast/contracts'
import type {
  PipelineDefinition,
  Ref,
  StepDefinition,
  StepInputsByKind,
  StepKind,
  StepOptions,
  Templated,
} from './pipeline-definition.js'

/** The outputs every step of a kind has (train and evaluate steps add one per metric). */
export const STEP_OUTPUTS = {
  ingest: ['dataset', 'digest', 'rows'],
  validate: ['passed', 'failed_expectations'],
  train: ['run_id', 'dataset', 'model'],
  evaluate: ['passed', 'status', 'decision_id', 'reasons', 'challenger', 'champion', 'rows'],
  register: ['model', 'version'],
  deploy: ['action', 'deployment', 'model', 'version', 'from_version', 'rollout', 'reasons'],
  command: ['exit_code'],
} as const satisfies Record<StepKind, readonly string[]>

export type StepOutputKey<K extends StepKind> = (typeof STEP_OUTPUTS)[K][number]

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/

function checkKey(value: string, what: string): string {
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw new InvalidParameterError(
      `invalid ${what} ${JSON.stringify(value)}: expected letters, digits, _ and -, starting with a letter or _`,
    )
  }
  return value
}

/** References, for pipelines written as plain objects. */
export const ref = {
  param: (name: string): Ref => `\${{ params.${checkKey(name, 'param name')} }}`,
  step: (step: string, output: string): Ref =>
    `\${{ steps.${checkKey(step, 'step name')}.outputs.${checkKey(output, 'output name')} }}`,
  /** What fired the run: `event_id`, `monitor`, `deployment`, `dataset`, `version`… */
  trigger: (key: string): Ref => `\${{ trigger.${checkKey(key, 'trigger key')} }}`,
}

/** A declared step: its name, and references to what it will output. */
export interface StepHandle<K extends StepKind> {
  readonly name: string
  readonly kind: K
  readonly outputs: { readonly [O in StepOutputKey<K>]: Ref }
  /** Any output by name, such as a train step's metric `test_roc_auc`. */
  output(key: string): Ref
}

function handle<K extends StepKind>(name: string, kind: K): StepHandle<K> {
  const outputs = Object.fromEntries(STEP_OUTPUTS[kind].map((key) => [key, ref.step(name, key)]))
  return {
    name,
    kind,
    outputs: Object.freeze(outputs) as StepHandle<K>['outputs'],
    output: (key) => ref.step(name, key),
  }
}

export type PipelineHead = Omit<PipelineDefinition, 'steps'>

/** Builds a pipeline step by step; each step can name the outputs of the steps before it. */
export class PipelineBuilder {
  private readonly steps: StepDefinition[] = []

  constructor(private readonly head: PipelineHead) {}

  /** A reference to a declared param. */
  param(name: string): Ref {
    if (this.head.params?.[name] === undefined) {
      throw new InvalidParameterError(
        `pipeline '${this.head.name}': param '${name}' is not declared in params`,
      )
    }
    return ref.param(name)
  }

  /** A reference to a value of the trigger that started the run. */
  trigger(key: string): Ref {
    return ref.trigger(key)
  }

  step<K extends StepKind>(
    kind: K,
    name: string,
    inputs: Templated<StepInputsByKind[K]>,
    options: StepOptions = {},
  ): StepHandle<K> {
    checkKey(name, 'step name')
    if (this.steps.some((s) => s.name === name)) {
      throw new InvalidParameterError(
        `pipeline '${this.head.name}': step '${name}' is declared twice`,
      )
    }
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined))
    this.steps.push({ name, kind, with: inputs, ...defined } as StepDefinition)
    return handle(name, kind)
  }

  ingest(name: string, inputs: Templated<StepInputsByKind['ingest']>, options?: StepOptions) {
    return this.step('ingest', name, inputs, options)
  }
  validate(name: string, inputs: Templated<StepInputsByKind['validate']>, options?: StepOptions) {
    return this.step('validate', name, inputs, options)
  }
  train(name: string, inputs: Templated<StepInputsByKind['train']>, options?: StepOptions) {
    return this.step('train', name, inputs, options)
  }
  evaluate(name: string, inputs: Templated<StepInputsByKind['evaluate']>, options?: StepOptions) {
    return this.step('evaluate', name, inputs, options)
  }
  register(name: string, inputs: Templated<StepInputsByKind['register']>, options?: StepOptions) {
    return this.step('register', name, inputs, options)
  }
  deploy(name: string, inputs: Templated<StepInputsByKind['deploy']>, options?: StepOptions) {
    return this.step('deploy', name, inputs, options)
  }
  command(name: string, inputs: Templated<StepInputsByKind['command']>, options?: StepOptions) {
    return this.step('command', name, inputs, options)
  }

  build(): PipelineDefinition {
    return { ...this.head, steps: [...this.steps] }
  }
}

/**
 * A pipeline as a TypeScript value, checked by the server by the same rules as YAML when it is
 * applied. Either the whole definition as an object, or its head and a function declaring the
 * steps in order:
 *
 * ```ts
 * const retrain = definePipeline({ name: 'retrain-loans' }, (p) => {
 *   const data = p.ingest('data', { dataset: 'loans@latest' })
 *   p.train('train', { dataset: data.outputs.dataset, target: 'default', task: 'classification',
 *     algo: 'gbdt', register: 'loans' })
 * })
 * ```
 */
export function definePipeline(definition: PipelineDefinition): PipelineDefinition
export function definePipeline(
  head: PipelineHead,
  declare: (pipeline: PipelineBuilder) => void,
): PipelineDefinition
export function definePipeline(
  value: PipelineDefinition | PipelineHead,
  declare?: (pipeline: PipelineBuilder) => void,
): PipelineDefinition {
  if (declare === undefined) {
    if (!Array.isArray((value as PipelineDefinition).steps)) {
      throw new InvalidParameterError(
        `pipeline '${value.name}': steps: expected a list, or a function declaring them`,
      )
    }
    return value as PipelineDefinition
  }
  const builder = new PipelineBuilder(value)
  declare(builder)
  return builder.build()
}
