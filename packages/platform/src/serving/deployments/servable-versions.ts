import { InvalidParameterError, isAppError } from '@ballast/contracts'
import type { RegistryService } from '../../registry/index.js'
import { type ModelRef, parseModelRef } from './deployment-ref.js'

/** A version of the deployment's model: a number, or `MODEL/VERSION` / `MODEL@ALIAS` text. */
export type VersionChoice = number | string

/** The registry's "not found" for a reference the caller sent: a bad parameter here. */
function asInvalid(error: unknown, field: string): unknown {
  if (isAppError(error) && error.code === 'RESOURCE_DOES_NOT_EXIST') {
    return new InvalidParameterError(`Invalid value for parameter '${field}': ${error.message}`, {
      cause: error,
    })
  }
  return error
}

/** Resolves the versions deployments name, and checks that each can be served (has ONNX). */
export class ServableVersions {
  constructor(private readonly registry: RegistryService) {}

  /** The version a reference names now; an unknown model, version or alias is a 400. */
  async resolve(ref: ModelRef, field: string): Promise<number> {
    const text = ref.kind === 'alias' ? `@${ref.alias}` : String(ref.version)
    try {
      return await this.registry.details.resolve(ref.model, text)
    } catch (error) {
      throw asInvalid(error, field)
    }
  }

  /** The version a canary or shadow of deployment `name` (serving `model`) names, checked. */
  async choose(name: string, model: string, choice: VersionChoice): Promise<number> {
    let version: number
    let field = 'version'
    if (typeof choice === 'number' || /^\d+$/.test(choice)) {
      version = Number(choice)
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'version': ${String(choice)}; expected a positive ` +
            'version number',
        )
      }
    } else {
      field = 'model'
      const ref = parseModelRef(choice, field)
      if (ref.model !== model) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'model': ${JSON.stringify(choice)} names model ` +
            `'${ref.model}', but deployment '${name}' serves model '${model}'`,
        )
      }
      version = await this.resolve(ref, field)
    }
    await this.require(model, version, field)
    return version
  }

  async require(model: string, version: number, field: string): Promise<void> {
    const problem = await this.problem(model, version)
    if (problem !== null) {
      throw new InvalidParameterError(`Invalid value for parameter '${field}': ${problem}`)
    }
  }

  /** Why the version cannot be served, or null when it can. */
  async problem(model: string, version: number): Promise<string | null> {
    let onnxPath: string | null
    try {
      onnxPath = (await this.registry.details.show(model, String(version))).details.onnx_path
    } catch (error) {
      if (isAppError(error) && error.code === 'RESOURCE_DOES_NOT_EXIST') return error.message
      throw error
    }
    if (onnxPath === null) {
      return (
        `model version ${model}/${version} has no ONNX model package (an MLmodel with the onnx ` +
        'flavor); only ONNX models can be deployed'
      )
    }
    return null
  }
}
