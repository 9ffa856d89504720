import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { InvalidParameterError } from '@ballast/contracts'
import { parseDatasetRef } from '../../data/index.js'
import type { StepInputs } from '../../orchestration/index.js'
import type { Services } from '../services.js'

/** Checks and reads of a step's `with`, shared by the step kinds. */

/** Whether a declared value holds a reference (only known once the run resolves it). */
export const isReference = (value: unknown) => typeof value === 'string' && value.includes('${{')

/** Refuses keys a kind does not know. */
export function checkKeys(inputs: StepInputs, known: readonly string[], field: string): void {
  for (const key of Object.keys(inputs)) {
    if (!known.includes(key)) {
      throw new InvalidParameterError(
        `${field}.${key}: unknown input; expected one of ${known.join(', ')}`,
      )
    }
  }
}

/** A string input; literal values are checked, references pass until they are resolved. */
export function stringInput(inputs: StepInputs, key: string, field: string): string | undefined
export function stringInput(inputs: StepInputs, key: string, field: string, required: true): string
export function stringInput(
  inputs: StepInputs,
  key: string,
  field: string,
  required = false,
): string | undefined {
  const value = inputs[key]
  if (value === undefined || value === null) {
    if (required) throw new InvalidParameterError(`${field}.${key}: required`)
    return undefined
  }
  if (typeof value === 'number') return String(value)
  if (typeof value !== 'string' || value === '') {
    throw new InvalidParameterError(`${field}.${key}: expected a non-empty string`)
  }
  return value
}

/** A list of strings (argv, file paths). */
export function stringList(inputs: StepInputs, key: string, field: string): string[] | undefined {
  const value = inputs[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw new InvalidParameterError(`${field}.${key}: expected a list of strings`)
  }
  return value.map(String)
}

export function booleanInput(inputs: StepInputs, key: string, field: string): boolean {
  const value = inputs[key]
  if (value === undefined) return false
  if (typeof value === 'boolean') return value
  if (value === 'true' || value === 'false') return value === 'true'
  throw new InvalidParameterError(`${field}.${key}: expected true or false`)
}

/** SHA-256 of a file's bytes. */
export function fileDigest(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}

/** The digest of the version a `NAME[@VERSION|@latest]` names now. */
export async function datasetDigest(services: Services, ref: string): Promise<string> {
  const { name, version } = parseDatasetRef(ref)
  return (await services.data.getVersion(name, version)).digest
}
