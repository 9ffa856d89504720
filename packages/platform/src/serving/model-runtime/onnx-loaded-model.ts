import { AppError, InvalidParameterError } from '@ballast/contracts'
import * as ort from 'onnxruntime-node'
import type {
  LoadedModel,
  ModelInputSpec,
  ModelOutputSpec,
  RecordPrediction,
  V2Tensor,
} from '../serving-types.js'
import { newFeedBuffer } from './element-writers.js'
import type { InputPlan } from './input-plan.js'
import { type RecordReader, outputSpecs, recordReader, toV2Tensor } from './output-plan.js'
import { recordFeeds, rowLayout } from './record-feeds.js'
import { v2Feeds } from './v2-feeds.js'

export interface OnnxLoadedModelInit {
  name: string
  version: number
  session: ort.InferenceSession
  plans: InputPlan[]
  /** Signature columns, graph inputs or not: records may hold any of them. */
  columns: readonly string[]
  task: string | null
  classes: readonly (string | number)[] | null
  inputExample: readonly Record<string, unknown>[] | null
}

/** A model version in an onnxruntime session; validation and conversion planned once at load. */
export class OnnxLoadedModel implements LoadedModel {
  readonly name: string
  readonly version: number
  readonly inputs: readonly ModelInputSpec[]
  readonly outputs: readonly ModelOutputSpec[]
  readonly task: string | null
  readonly classes: readonly (string | number)[] | null
  private readonly session: ort.InferenceSession
  private readonly plans: readonly InputPlan[]
  private readonly known: ReadonlySet<string>
  private readonly inputIndex: ReadonlyMap<string, number>
  private readonly outputByName: ReadonlyMap<string, ModelOutputSpec>
  private readonly reader: RecordReader
  private readonly example: readonly Record<string, unknown>[] | null
  private running = 0
  private closing: Promise<void> | null = null
  private drained: (() => void) | null = null

  constructor(init: OnnxLoadedModelInit) {
    this.name = init.name
    this.version = init.version
    this.session = init.session
    this.plans = init.plans
    this.task = init.task
    this.classes = init.classes
    this.example = init.inputExample
    this.inputs = init.plans.map((p) => p.spec)
    this.known = new Set([...init.columns, ...this.inputs.map((i) => i.name)])
    this.inputIndex = new Map(this.inputs.map((i, k) => [i.name, k]))
    const { specs, metas } = outputSpecs(init.session.outputMetadata)
    this.outputs = specs
    this.outputByName = new Map(specs.map((s) => [s.name, s]))
    this.reader = recordReader(this.label, metas, init.classes)
  }

  private get label(): string {
    return `${this.name}/${this.version}`
  }

  async predictRecords(records: readonly Record<string, unknown>[]): Promise<RecordPrediction[]> {
    const feeds = recordFeeds(this.plans, this.known, records)
    const results = await this.run(feeds, this.reader.fetches)
    return this.reader.read(results, records.length)
  }

  async infer(inputs: readonly V2Tensor[], outputs?: readonly string[]): Promise<V2Tensor[]> {
    let specs: readonly ModelOutputSpec[] = this.outputs
    if (outputs !== undefined && outputs.length > 0) {
      specs = outputs.map((name, i) => {
        const spec = this.outputByName.get(name)
        if (spec === undefined) {
          const names = this.outputs.map((o) => o.name).join(', ')
          throw new InvalidParameterError(
            `outputs[${i}].name: unknown output '${name}'; the model's outputs are ${names}`,
          )
        }
        return spec
      })
    }
    const feeds = v2Feeds(this.plans, this.inputIndex, inputs)
    const results = await this.run(
      feeds,
      specs.map((s) => s.name),
    )
    return specs.map((spec) => toV2Tensor(spec, results[spec.name]!))
  }

  async warm(): Promise<void> {
    const first = this.example?.[0]
    if (first !== undefined) {
      try {
        await this.predictRecords([first])
        return
      } catch (error) {
        // An example that no longer fits the inputs (edited package): a synthetic row still warms.
        if (!(error instanceof InvalidParameterError)) throw error
      }
    }
    await this.run(this.syntheticFeeds(), this.reader.fetches)
  }

  /** One row of zeros (empty strings, false): any graph accepts it. */
  private syntheticFeeds(): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {}
    for (const plan of this.plans) {
      const { dims, width } = rowLayout(plan, undefined)
      const buffer = newFeedBuffer(plan.feed, width)
      if (Array.isArray(buffer)) buffer.fill('')
      feeds[plan.spec.name] = new ort.Tensor(plan.feed, buffer, plan.batched ? [1, ...dims] : dims)
    }
    return feeds
  }

  async close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.running > 0) await new Promise<void>((resolve) => (this.drained = resolve))
      await this.session.release()
    })()
    return this.closing
  }

  private async run(
    feeds: Record<string, ort.Tensor>,
    fetches: readonly string[],
  ): Promise<ort.InferenceSession.ReturnType> {
    if (this.closing !== null) {
      throw new AppError('INVALID_STATE', `model ${this.label} is unloaded`)
    }
    this.running++
    try {
      return await this.session.run(feeds, fetches)
    } catch (error) {
      // onnxruntime's own checks (a value out of a graph's range, say) are the request's fault.
      throw new InvalidParameterError(
        `model ${this.label}: onnxruntime could not run the inputs: ${(error as Error).message}`,
        { cause: error },
      )
    } finally {
      this.running--
      if (this.running === 0 && this.drained !== null) this.drained()
    }
  }
}
