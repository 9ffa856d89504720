import { existsSync } from 'node:fs'
import path from 'node:path'
import { AppError, InvalidParameterError } from '@ballast/contracts'
import { LineCounter, parseDocument } from 'yaml'
import type { z } from 'zod'
import { referencesIn, stepDependencies } from './pipeline-refs.js'
import { PipelineSpecSchema, PipelineYamlSchema, fromYamlShape } from './pipeline-spec-schema.js'
import type { PipelineSpec, StepInputs, StepKindName } from './pipeline-types.js'

/** What the server knows of step kinds, to check a spec's steps before it is applied. */
export interface StepCatalog {
  /** Whether this process runs the kind (kinds come in over time). */
  has(kind: StepKindName): boolean
  /** Throws InvalidParameterError naming `field` (e.g. `steps[2].with`) and the key. */
  validate(kind: StepKindName, inputs: StepInputs, field: string): void
  /** Keys of `with` holding file paths: a string, or a list of strings. */
  fileInputs(kind: StepKindName): readonly string[]
}

export interface SpecCheckOptions {
  /** Checks each step's `with` by its kind; without it only the shape is checked. */
  steps?: StepCatalog
  /**
   * The folder relative file paths in `with` are resolved against (the YAML file's); they must
   * exist. Without it, file paths are left as written.
   */
  baseDir?: string
}

type Path = readonly (string | number)[]

/** A problem at a place in the spec; reported with the line when the spec came from YAML. */
class SpecIssue extends Error {
  constructor(
    readonly path: Path,
    readonly detail: string,
  ) {
    super(detail)
  }
}

export function pathText(p: Path): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('')
}

/** `steps[2].with.dataset` back into a path. */
function parsePathText(text: string): Path {
  return [...text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
    m[2] === undefined ? m[1]! : Number(m[2]),
  )
}

function zodIssue(error: z.ZodError): SpecIssue {
  const first = error.issues[0]!
  const p = first.path.filter((k): k is string | number => typeof k !== 'symbol')
  return new SpecIssue(p, first.message)
}

/** Runs `check`; an AppError whose message starts with a field path becomes an issue there. */
function issueFrom<T>(fallback: Path, check: () => T): T {
  try {
    return check()
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    const field = /^([\w[\].-]+): /.exec(error.message)
    throw new SpecIssue(
      field === null ? fallback : parsePathText(field[1]!),
      field === null ? error.message : error.message.slice(field[0].length),
    )
  }
}

/** Rules beyond the shape: names, references, the dependency graph, kinds and files. */
function checkSemantics(spec: PipelineSpec, options: SpecCheckOptions): PipelineSpec {
  const seen = new Map<string, number>()
  const steps = spec.steps.map((step, i) => {
    const at = (...rest: (string | number)[]) => ['steps', i, ...rest]
    if (seen.has(step.name)) {
      throw new SpecIssue(at('name'), `step name '${step.name}' is used twice`)
    }
    const refs = issueFrom(at('with'), () => [
      ...referencesIn(step.with, pathText(at('with'))),
      ...referencesIn(step.if ?? null, pathText(at('if'))),
    ])
    for (const dep of stepDependencies(step)) {
      if (!seen.has(dep)) {
        const where = spec.steps.some((s) => s.name === dep) ? 'a later step' : 'no step'
        throw new SpecIssue(
          at('needs' in step && step.needs?.includes(dep) ? 'needs' : 'with'),
          `step '${step.name}' depends on '${dep}', which is ${where}; a step may only use earlier steps`,
        )
      }
    }
    for (const { ref, field } of refs) {
      if (ref.scope === 'params' && !(ref.name in spec.params)) {
        throw new SpecIssue(parsePathText(field), `${ref.text}: no param '${ref.name}' in params`)
      }
    }
    seen.set(step.name, i)
    const catalog = options.steps
    if (catalog === undefined) return step
    if (!catalog.has(step.kind)) {
      throw new SpecIssue(at('kind'), `step kind '${step.kind}' is not available on this server`)
    }
    const inputs = resolveFiles(step.with, catalog.fileInputs(step.kind), options.baseDir, at)
    issueFrom(at('with'), () => catalog.validate(step.kind, inputs, pathText(at('with'))))
    return { ...step, with: inputs }
  })
  return { ...spec, steps }
}

/** Relative file paths made absolute against `baseDir`, each checked to exist. */
function resolveFiles(
  inputs: StepInputs,
  keys: readonly string[],
  baseDir: string | undefined,
  at: (...rest: (string | number)[]) => (string | number)[],
): StepInputs {
  if (baseDir === undefined) return inputs
  const out: StepInputs = { ...inputs }
  const resolve = (value: unknown, p: (string | number)[]) => {
    if (typeof value !== 'string' || value.includes('${{')) return value
    const file = path.resolve(baseDir, value)
    if (!existsSync(file)) throw new SpecIssue(p, `file '${value}' does not exist (${file})`)
    return file
  }
  for (const key of keys) {
    const value = inputs[key]
    if (Array.isArray(value)) out[key] = value.map((v, i) => resolve(v, at('with', key, i)))
    else if (value !== undefined) out[key] = resolve(value, at('with', key))
  }
  return out
}

/**
 * Checks a spec built in TypeScript (or sent as JSON): the same rules as YAML. Errors read
 * `SOURCE: steps[2].with.dataset: …`.
 */
export function checkPipelineSpec(
  value: unknown,
  source: string,
  options: SpecCheckOptions = {},
): PipelineSpec {
  try {
    const parsed = PipelineSpecSchema.safeParse(value)
    if (!parsed.success) throw zodIssue(parsed.error)
    return checkSemantics(parsed.data, options)
  } catch (error) {
    if (!(error instanceof SpecIssue)) throw error
    throw new InvalidParameterError(`${source}: ${pathText(error.path)}: ${error.detail}`)
  }
}

/**
 * Reads a pipeline's YAML. Errors name the file, the line and the field:
 * `flights.yaml:14: steps[2].with.dataset: …`.
 */
export function parsePipelineYaml(
  text: string,
  source: string,
  options: SpecCheckOptions = {},
): PipelineSpec {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  const syntax = doc.errors[0]
  if (syntax !== undefined) {
    const line = lineCounter.linePos(syntax.pos[0]).line
    throw new InvalidParameterError(`${source}:${line}: ${syntax.message.split('\n')[0]}`)
  }
  const lineOf = (p: Path): number => {
    for (let n = p.length; n >= 0; n--) {
      const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | null
      if (node?.range !== undefined) return lineCounter.linePos(node.range[0]).line
    }
    return 1
  }
  try {
    const parsed = PipelineYamlSchema.safeParse(doc.toJS())
    if (!parsed.success) throw zodIssue(parsed.error)
    return checkSemantics(fromYamlShape(parsed.data), options)
  } catch (error) {
    if (!(error instanceof SpecIssue)) throw error
    const where = error.path.length === 0 ? '' : ` ${pathText(error.path)}:`
    throw new InvalidParameterError(`${source}:${lineOf(error.path)}:${where} ${error.detail}`)
  }
}
