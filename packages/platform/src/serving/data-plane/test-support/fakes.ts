import { InvalidParameterError } from '@ballast/contracts'
import type {
  Deployment,
  LoadedModel,
  PredictionRow,
  RecordPrediction,
  V2Tensor,
} from '../../serving-types.js'
import type { DeploymentSource, PredictionSink } from '../engine-options.js'

export interface FakeModel extends LoadedModel {
  closed: boolean
  warmed: boolean
  calls: number
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * A regressor over one double column `x`: prediction = x * 10 + version, so every answer says
 * which version gave it. `delayMs` makes each call take that long.
 */
export function fakeModel(
  name: string,
  version: number,
  options: { delayMs?: number } = {},
): FakeModel {
  const delay = options.delayMs ?? 0
  const model: FakeModel = {
    name,
    version,
    inputs: [{ name: 'x', type: 'double', datatype: 'FP64', shape: [-1, 1] }],
    outputs: [{ name: 'prediction', datatype: 'FP32', shape: [-1, 1] }],
    task: 'regression',
    classes: null,
    closed: false,
    warmed: false,
    calls: 0,
    async predictRecords(records): Promise<RecordPrediction[]> {
      if (model.closed) throw new Error(`${name}@${version} used after close`)
      model.calls += 1
      records.forEach((r, i) => {
        if (typeof r.x !== 'number')
          throw new InvalidParameterError(
            `records[${i}].x: expected a number, got ${JSON.stringify(r.x)}`,
          )
      })
      if (delay > 0) await sleep(delay)
      if (model.closed) throw new Error(`${name}@${version} closed while running`)
      return records.map((r) => ({ prediction: (r.x as number) * 10 + version }))
    },
    async infer(inputs): Promise<V2Tensor[]> {
      if (model.closed) throw new Error(`${name}@${version} used after close`)
      model.calls += 1
      const x = inputs.find((t) => t.name === 'x')
      if (x === undefined) throw new InvalidParameterError("missing input 'x'")
      if (delay > 0) await sleep(delay)
      return [
        {
          name: 'prediction',
          datatype: 'FP32',
          shape: [x.data.length, 1],
          data: x.data.map((v) => Number(v) * 10 + version),
        },
      ]
    },
    async warm() {
      model.warmed = true
    },
    async close() {
      model.closed = true
    },
  }
  return model
}

export function deployment(
  name: string,
  version: number,
  extra: Partial<Deployment> = {},
): Deployment {
  return {
    name,
    model: 'm',
    target: { kind: 'version', version },
    version,
    previousVersion: null,
    canary: null,
    shadow: null,
    revision: 1,
    createdBy: 'test',
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  }
}

/** Deployments held in memory; `set` bumps the revision as the deployment service does. */
export class FakeDeployments implements DeploymentSource {
  private rev = 1
  followed = 0
  constructor(private items: Deployment[]) {}
  set(items: Deployment[]): void {
    this.items = items
    this.rev += 1
  }
  async list() {
    return this.items
  }
  async revision() {
    return this.rev
  }
  async followAliases() {
    this.followed += 1
  }
}

export class MemorySink implements PredictionSink {
  readonly rows: PredictionRow[] = []
  append(row: PredictionRow): void {
    this.rows.push(row)
  }
}
