import { InvalidParameterError } from '@ballast/contracts'

/** What a deployment's `model` names: a version of a registered model, or an alias to follow. */
export type ModelRef =
  | { model: string; kind: 'alias'; alias: string }
  | { model: string; kind: 'version'; version: number }

const NAME_LENGTH = 256
// Deployment names appear in URLs (`/v2/models/NAME`, `/v1/models/NAME:predict`): these would
// split or escape them. The same rule as registered model names.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NAME_FORBIDDEN = /[/\\:%]|^\.\.?$|[\u0000-\u001f\u007f]/

export function validateDeploymentName(name: string, field = 'name'): string {
  if (name === '') {
    throw new InvalidParameterError(`Invalid value for parameter '${field}': it cannot be empty`)
  }
  if (name.length > NAME_LENGTH) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${field}': '${name.slice(0, 20)}…' is ${name.length} ` +
        `characters long; the limit is ${NAME_LENGTH}`,
    )
  }
  if (NAME_FORBIDDEN.test(name)) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${field}': ${JSON.stringify(name)}; a deployment name must ` +
        `not contain '/', '\\', ':', '%' or control characters, nor be '.' or '..'`,
    )
  }
  return name
}

function invalidRef(field: string, ref: string, why: string): InvalidParameterError {
  return new InvalidParameterError(
    `Invalid value for parameter '${field}': ${JSON.stringify(ref)}; ${why}`,
  )
}

/**
 * `MODEL/VERSION` or `MODEL@ALIAS`, with or without MLflow's `models:/` prefix. Model names may
 * hold '@' but never '/', and aliases never hold '@': the last one splits.
 */
export function parseModelRef(ref: string, field = 'model'): ModelRef {
  const text = ref.startsWith('models:/') ? ref.slice('models:/'.length) : ref
  const slash = text.indexOf('/')
  if (slash >= 0) {
    const model = text.slice(0, slash)
    const version = text.slice(slash + 1)
    if (model === '' || !/^\d{1,15}$/.test(version) || Number(version) < 1) {
      throw invalidRef(field, ref, 'expected MODEL/VERSION with a positive version number')
    }
    return { model, kind: 'version', version: Number(version) }
  }
  const at = text.lastIndexOf('@')
  if (at <= 0 || at === text.length - 1) {
    throw invalidRef(field, ref, 'expected MODEL@ALIAS or MODEL/VERSION')
  }
  return { model: text.slice(0, at), kind: 'alias', alias: text.slice(at + 1) }
}

export function formatModelRef(ref: ModelRef): string {
  return ref.kind === 'alias' ? `${ref.model}@${ref.alias}` : `${ref.model}/${ref.version}`
}
