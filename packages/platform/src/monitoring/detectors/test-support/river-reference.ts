import { readFileSync } from 'node:fs'
import { pythonOracle } from '../../../training/test-support/python-oracle.js'
import type { Detections } from '../drift-detector.js'

export type StreamSpec =
  | { kind: 'binary'; seed: number; n: number; p0: number; p1: number; at?: number; width?: number }
  | {
      kind: 'normal'
      seed: number
      n: number
      mu0: number
      mu1: number
      sd?: number
      at?: number
      width?: number
    }

export interface ReferenceCase {
  detector: 'adwin' | 'ddm' | 'eddm' | 'page-hinkley' | 'kswin'
  /** River's constructor arguments (snake_case). */
  options?: Record<string, unknown>
  stream: StreamSpec
}

export interface ReferenceResult extends Detections {
  stream: number[]
}

const SCRIPT = readFileSync(new URL('./river-reference.py', import.meta.url), 'utf8')

/** Runs the Python re-implementation of River's detectors on seeded numpy streams. */
export function riverReference(cases: readonly ReferenceCase[]): ReferenceResult[] {
  return pythonOracle<ReferenceResult[]>(SCRIPT, { cases })
}

/** Streams from Python's own `random` module, as River's documentation examples build them. */
export function pythonStreams<T extends Record<string, number[]>>(script: string): T {
  return pythonOracle<T>(`import random\n${script}\nprint(json.dumps(out))`, null)
}
