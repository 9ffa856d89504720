import { InvalidParameterError } from '@ballast/contracts'
import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api'
import type { ColumnPlan, FeedType } from './column-plan.js'

/** The graph's missing date-time (INT64 min), as Ballast's exported models read it. */
export const MISSING_DATETIME = -(2n ** 63n)
/** JavaScript's Date range; beyond it a date-time is missing, as in training. */
const MAX_EPOCH_MS = 8_640_000_000_000_000

export type FeedArray =
  Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | string[]

function allocate(feed: FeedType, capacity: number): FeedArray {
  switch (feed) {
    case 'float32':
      return new Float32Array(capacity)
    case 'float64':
      return new Float64Array(capacity)
    case 'int64':
      return new BigInt64Array(capacity)
    case 'int32':
      return new Int32Array(capacity)
    case 'bool':
      return new Uint8Array(capacity)
    case 'string':
      return new Array<string>(capacity).fill('')
  }
}

function shown(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)
}

/**
 * Fills one batch of model inputs from DuckDB chunks, checking every value on the way: the same
 * rules as the online path (a value of the wrong type, a non-finite number, a missing value an
 * input cannot hold → InvalidParameterError naming the row, 1-based in the file, and the column).
 * The arrays are allocated once and reused for every batch, so memory does not grow with the file.
 */
export class FeedBuilder {
  private readonly arrays: FeedArray[]
  /** Rows in the current batch. */
  rows = 0

  constructor(
    private readonly plans: readonly ColumnPlan[],
    /** Chunk column of each plan's value and (when it has one) raw text. */
    private readonly layout: readonly { value: number; raw: number | null }[],
    readonly capacity: number,
    private readonly label: string,
  ) {
    this.arrays = plans.map((p) => allocate(p.feed, capacity))
  }

  get full(): boolean {
    return this.rows === this.capacity
  }

  /**
   * Appends `count` rows of `chunk` from `offset`; `fileRow` is the file row (1-based) of the
   * chunk's first row. Returns the rows taken (fewer when the batch fills up).
   */
  append(chunk: DuckDBDataChunk, offset: number, fileRow: number): number {
    const take = Math.min(chunk.rowCount - offset, this.capacity - this.rows)
    for (let p = 0; p < this.plans.length; p++) {
      const plan = this.plans[p]!
      const where = this.layout[p]!
      const values = chunk.getColumnVector(where.value)
      const raw = where.raw === null ? null : chunk.getColumnVector(where.raw)
      if (plan.kind === 'string') {
        this.fillStrings(plan, values as DuckDBVector<string>, raw, offset, take, fileRow, p)
      } else {
        this.fillNumbers(plan, values as DuckDBVector<number>, raw, offset, take, fileRow, p)
      }
    }
    this.rows += take
    return take
  }

  /** The current batch's feeds, by input name (views of the reused arrays). */
  feeds(): Map<string, { type: FeedType; data: FeedArray }> {
    const out = new Map<string, { type: FeedType; data: FeedArray }>()
    this.plans.forEach((plan, p) => {
      const array = this.arrays[p]!
      const data = Array.isArray(array) ? array.slice(0, this.rows) : array.subarray(0, this.rows)
      out.set(plan.name, { type: plan.feed, data })
    })
    return out
  }

  reset(): void {
    this.rows = 0
  }

  private refuse(plan: ColumnPlan, row: number, why: string): never {
    throw new InvalidParameterError(`${this.label}: row ${row}, column '${plan.name}': ${why}`)
  }

  private fillStrings(
    plan: ColumnPlan,
    values: DuckDBVector<string>,
    raw: DuckDBVector | null,
    offset: number,
    take: number,
    fileRow: number,
    p: number,
  ): void {
    const out = this.arrays[p] as string[]
    for (let i = 0; i < take; i++) {
      const v = values.getItem(offset + i)
      if (v === null && raw !== null && raw.getItem(offset + i) !== null) {
        this.refuse(plan, fileRow + offset + i, `expected text, got a ${plan.wrongType} value`)
      }
      // '' is the graph's missing or unknown category.
      out[this.rows + i] = v ?? ''
    }
  }

  private fillNumbers(
    plan: ColumnPlan,
    values: DuckDBVector<number>,
    raw: DuckDBVector | null,
    offset: number,
    take: number,
    fileRow: number,
    p: number,
  ): void {
    const out = this.arrays[p]!
    const datetime = plan.kind === 'datetime'
    for (let i = 0; i < take; i++) {
      const at = this.rows + i
      const v = values.getItem(offset + i)
      if (v === null) {
        const text = raw === null ? null : (raw.getItem(offset + i) as string | null)
        if (text !== null) this.refuseText(plan, fileRow + offset + i, text)
        this.missing(plan, out, at, fileRow + offset + i)
        continue
      }
      if (!Number.isFinite(v)) {
        this.refuse(plan, fileRow + offset + i, `expected a finite number, got ${v}`)
      }
      if (plan.feed === 'float32' || plan.feed === 'float64') {
        ;(out as Float32Array | Float64Array)[at] = v
      } else if (plan.feed === 'int64') {
        if (datetime) {
          ;(out as BigInt64Array)[at] =
            Math.abs(v) <= MAX_EPOCH_MS ? BigInt(Math.floor(v)) : MISSING_DATETIME
        } else {
          if (!Number.isSafeInteger(v)) {
            this.refuse(plan, fileRow + offset + i, `expected a whole number, got ${v}`)
          }
          ;(out as BigInt64Array)[at] = BigInt(v)
        }
      } else if (plan.feed === 'int32') {
        if (!Number.isInteger(v) || Math.abs(v) > 2 ** 31) {
          this.refuse(plan, fileRow + offset + i, `expected a 32-bit whole number, got ${v}`)
        }
        ;(out as Int32Array)[at] = v
      } else {
        ;(out as Uint8Array)[at] = v !== 0 ? 1 : 0
      }
    }
  }

  private refuseText(plan: ColumnPlan, row: number, text: string): never {
    if (plan.wrongType !== null) {
      this.refuse(plan, row, `expected ${expected(plan)}, got a ${plan.wrongType} value`)
    }
    this.refuse(plan, row, `expected ${expected(plan)}, got ${shown(text)}`)
  }

  /** Null in the file: the graph imputes it, when the input's type can say "missing". */
  private missing(plan: ColumnPlan, out: FeedArray, at: number, row: number): void {
    if (plan.feed === 'float32' || plan.feed === 'float64') {
      ;(out as Float32Array | Float64Array)[at] = Number.NaN
    } else if (plan.feed === 'int64' && plan.kind === 'datetime') {
      ;(out as BigInt64Array)[at] = MISSING_DATETIME
    } else {
      this.refuse(
        plan,
        row,
        `the value is missing and the model's ${plan.feed} input cannot hold a missing value`,
      )
    }
  }
}

function expected(plan: ColumnPlan): string {
  switch (plan.kind) {
    case 'datetime':
      return 'a date-time (ISO-8601 text or epoch milliseconds)'
    case 'boolean':
      return 'a boolean'
    default:
      return 'a number'
  }
}
