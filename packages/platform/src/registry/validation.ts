import {
  InvalidParameterError,
  MODEL_VERSION_STAGES,
  type ModelVersionStage,
} from '@ballast/contracts'

/** MLflow's rules for registry names, aliases, tags, versions and stages, with its wording. */

export const LIMITS = {
  modelNameLength: 256,
  aliasLength: 255,
  tagKeyLength: 250,
  tagValueLength: 100_000,
  modelsMaxResultsDefault: 100,
  modelsMaxResults: 1000,
  versionsMaxResultsDefault: 10_000,
  versionsMaxResults: 200_000,
} as const

// A name appears in `models:/<name>/<version>` URIs and in artifact paths: these would split it.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NAME_FORBIDDEN = /[/\\:%]|^\.\.?$|[\u0000-\u001f\u007f]/

export function validateModelName(name: string, field = 'name'): void {
  if (name === '') throw new InvalidParameterError('Registered model name cannot be empty.')
  if (name.length > LIMITS.modelNameLength) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${field}': '${name.slice(0, 20)}…' is ${name.length} ` +
        `characters long; the limit is ${LIMITS.modelNameLength}`,
    )
  }
  if (NAME_FORBIDDEN.test(name)) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${field}': ${JSON.stringify(name)}; a registered model name ` +
        `must not contain '/', '\\', ':', '%' or control characters, nor be '.' or '..'`,
    )
  }
}

export function validateAlias(alias: string): void {
  if (alias === '') throw new InvalidParameterError('Registered model alias name cannot be empty.')
  if (alias.toLowerCase() === 'latest') {
    throw new InvalidParameterError(`'${alias}' alias name (case insensitive) is reserved.`)
  }
  if (/^v\d+$/i.test(alias)) {
    throw new InvalidParameterError(
      `Version alias name '${alias}' is reserved: aliases of the form v<number> name versions.`,
    )
  }
  if (alias.length > LIMITS.aliasLength) {
    throw new InvalidParameterError(
      `Registered model alias name '${alias.slice(0, 20)}…' had length ${alias.length}, ` +
        `which exceeded length limit of ${LIMITS.aliasLength}`,
    )
  }
  if (!/^[\w\-.]+$/.test(alias)) {
    throw new InvalidParameterError(
      `Invalid value for parameter 'alias': ${JSON.stringify(alias)}; an alias may only contain ` +
        `letters, digits, '_', '-' and '.'`,
    )
  }
}

export function validateTag(key: string, value: string, prefix = ''): void {
  if (key.length > LIMITS.tagKeyLength) {
    throw new InvalidParameterError(
      `Tag key '${key.slice(0, 20)}…' had length ${key.length}, which exceeded length limit of ` +
        `${LIMITS.tagKeyLength} (parameter '${prefix}key')`,
    )
  }
  if (!/^[\w\-. /]+$/.test(key) || key.split('/').includes('..') || key.startsWith('/')) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${prefix}key': ${JSON.stringify(key)}; tag names may only ` +
        `contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/)`,
    )
  }
  if (value.length > LIMITS.tagValueLength) {
    throw new InvalidParameterError(
      `Tag value for '${key}' had length ${value.length}, which exceeded length limit of ` +
        `${LIMITS.tagValueLength} (parameter '${prefix}value')`,
    )
  }
}

/** Version numbers arrive as strings; MLflow refuses any that is not an integer. */
export function parseVersion(version: string, field = 'version'): number {
  const n = /^\d{1,15}$/.test(version) ? Number(version) : Number.NaN
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${field}': model version must be a positive integer, ` +
        `got '${version}'`,
    )
  }
  return n
}

/** MLflow matches stage names without regard to case and answers with the canonical spelling. */
export function canonicalStage(stage: string): ModelVersionStage {
  const found = MODEL_VERSION_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase())
  if (found === undefined) {
    throw new InvalidParameterError(
      `Invalid Model Version stage: ${stage}. Value must be one of ` +
        `${MODEL_VERSION_STAGES.join(', ')}.`,
    )
  }
  return found
}

export function checkMaxResults(
  value: number | undefined,
  limit: number,
  fallback: number,
): number {
  if (value === undefined) return fallback
  if (value < 1 || value > limit) {
    throw new InvalidParameterError(
      `Invalid value for request parameter max_results. It must be at most ${limit} and at ` +
        `least 1, but got value ${value}`,
    )
  }
  return value
}
