import { InvalidParameterError } from '@ballast/contracts'

/** A model version as the CLI names it; `ref` is what `/api/v1/models/:name/versions/:ref` takes. */
export interface ModelRef {
  name: string
  /** A version number, `@alias`, or `latest` when only the name was given. */
  ref: string
}

/**
 * `NAME` (the latest version), `NAME@ALIAS` or `NAME/VERSION`. Model names never hold '/', so the
 * first slash splits; an alias is what follows the last '@'.
 */
export function parseModelRef(text: string): ModelRef {
  const refuse = (why: string): never => {
    throw new InvalidParameterError(
      `invalid model reference '${text}': ${why}; expected NAME, NAME@ALIAS or NAME/VERSION`,
    )
  }
  const slash = text.indexOf('/')
  if (slash !== -1) {
    const name = text.slice(0, slash)
    const version = text.slice(slash + 1)
    if (name === '') refuse('the name is empty')
    if (!/^[1-9]\d*$/.test(version)) refuse(`'${version}' is not a version number`)
    return { name, ref: version }
  }
  const at = text.lastIndexOf('@')
  if (at !== -1) {
    const name = text.slice(0, at)
    const alias = text.slice(at + 1)
    if (name === '') refuse('the name is empty')
    if (alias === '') refuse('the alias is empty')
    return { name, ref: `@${alias}` }
  }
  if (text === '') refuse('it is empty')
  return { name: text, ref: 'latest' }
}

/** The API path of a version. */
export function modelVersionPath(ref: ModelRef): string {
  return `/api/v1/models/${encodeURIComponent(ref.name)}/versions/${encodeURIComponent(ref.ref)}`
}
