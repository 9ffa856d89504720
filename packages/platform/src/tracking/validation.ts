import { InvalidParameterError } from '@ballast/contracts'
import path from 'node:path'

/** MLflow's limits (mlflow/utils/validation.py), so that what MLflow accepts is accepted here. */
export const LIMITS = {
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  entitiesPerBatch: 1000,
  datasetsPerBatch: 1000,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentNameLength: 500,
  experimentTagValueLength: 5000,
  datasetNameLength: 500,
  datasetDigestLength: 36,
  datasetSourceLength: 65535,
  datasetSchemaLength: 1048575,
  datasetProfileLength: 16777215,
  inputTagKeyLength: 255,
  inputTagValueLength: 500,
  searchMaxResults: 50000,
} as const

// MLflow allows ':' in names except on Windows servers; a server that runs anywhere allows it.
// Python's \w is Unicode-aware, hence \p{L}\p{N}.
const VALID_NAME = /^[/\p{L}\p{N}_.\- :]*$/u
const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).'

function quote(value: string): string {
  return JSON.stringify(value)
}

/** MLflow's rule: a name must not change when read as a path (no '..', no leading '/', no '//'). */
function pathProblem(name: string): string | undefined {
  const norm = path.posix.normalize(name)
  // posix.normalize keeps a trailing '/', Python's normpath drops it.
  const pyNorm = norm.length > 1 && norm.endsWith('/') ? norm.slice(0, -1) : norm
  if (pyNorm !== name || pyNorm === '.' || pyNorm.startsWith('..') || pyNorm.startsWith('/')) {
    return (
      'Names may be treated as files in certain cases, and must not resolve to other names when ' +
      `treated as such. This name would resolve to '${pyNorm}'`
    )
  }
  return undefined
}

/** Throws INVALID_PARAMETER_VALUE naming `field` unless `name` is a valid metric/param/tag key. */
export function validateKey(name: string, field: string): void {
  if (!VALID_NAME.test(name)) {
    throw new InvalidParameterError(
      `Invalid value ${quote(name)} for parameter '${field}' supplied: ${BAD_CHARACTERS}`,
    )
  }
  const problem = pathProblem(name)
  if (problem !== undefined) {
    throw new InvalidParameterError(
      `Invalid value ${quote(name)} for parameter '${field}' supplied: ${problem}`,
    )
  }
  checkLength(name, LIMITS.keyLength, field)
}

export function checkLength(value: string, limit: number, field: string): void {
  if (value.length > limit) {
    throw new InvalidParameterError(
      `'${field}' exceeds the maximum length of ${limit} characters (got ${value.length})`,
    )
  }
}

export function validateParam(key: string, value: string, field: string): void {
  validateKey(key, `${field}key`)
  checkLength(value, LIMITS.paramValueLength, `${field}value`)
}

export function validateTag(key: string, value: string, field: string): void {
  validateKey(key, `${field}key`)
  checkLength(value, LIMITS.tagValueLength, `${field}value`)
}

export function validateExperimentTag(key: string, value: string, field: string): void {
  // MLflow's experiment tag key limit equals its key limit, which validateKey applies.
  validateKey(key, `${field}key`)
  checkLength(value, LIMITS.experimentTagValueLength, `${field}value`)
}

export function validateExperimentName(name: string, field = 'name'): void {
  checkLength(name, LIMITS.experimentNameLength, field)
}

/**
 * Timestamps are non-negative; steps are any int64 (the schemas already made both integers).
 * `field` may be given as a function, called only to word a refusal: batches check 1000 points.
 */
export function validateTimestamp(
  timestamp: number,
  key: string,
  field: string | (() => string),
): void {
  if (timestamp < 0) {
    const name = typeof field === 'string' ? field : field()
    throw new InvalidParameterError(
      `Invalid value ${timestamp} for parameter '${name}' supplied: metric '${key}': ` +
        'Timestamp must be a nonnegative long (64-bit integer)',
    )
  }
}

export function checkBatchLimit(entity: string, limit: number, count: number): void {
  if (count > limit) {
    throw new InvalidParameterError(
      `A batch logging request can contain at most ${limit} ${entity}. Got ${count} ${entity}. ` +
        `Please split up ${entity} across multiple requests and try again.`,
    )
  }
}

/** MLflow's search threshold; the search itself reads the rest of the options. */
export function checkMaxResults(
  maxResults: number | undefined,
  limit: number,
  field = 'max_results',
): void {
  if (maxResults === undefined) return
  if (maxResults < 1 || maxResults > limit) {
    throw new InvalidParameterError(
      `Invalid value ${maxResults} for parameter '${field}' supplied: it must be between 1 and ${limit}`,
    )
  }
}
