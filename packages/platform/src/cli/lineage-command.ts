import type {
  DatasetLineageWire,
  LineagePipelineRunWire,
  ModelLineageTreeWire,
  PredictionLineageWire,
} from '@ballast/contracts'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings } from './global-options.js'
import { formatNumber, formatTime, writeJson } from './output.js'

/** `ballast lineage …`: what made a prediction, model version or dataset version. */

const API = '/api/v1/lineage'

/** Lines of an indented tree: each entry is `[depth, text]`. */
type Tree = [number, string][]

const render = (tree: Tree) =>
  tree.map(([depth, text]) => `${'  '.repeat(depth)}${text}\n`).join('')

function pipelineTree(run: LineagePipelineRunWire, depth: number): Tree {
  const step = run.step === null ? '' : `, step ${run.step}`
  const tree: Tree = [
    [depth, `pipeline run ${run.id} (${run.pipeline}, ${run.status}${step})`],
    [depth + 1, `trigger: ${run.trigger.kind} ${run.trigger.detail}`],
  ]
  if (run.decision !== null) {
    tree.push([depth + 1, `decision ${run.decision.id}: ${run.decision.status}`])
  }
  if (run.rollout !== null) {
    const r = run.rollout
    tree.push([depth + 1, `rollout ${r.id}: ${r.deployment} → version ${r.version}, ${r.status}`])
  }
  return tree
}

function modelTree(m: ModelLineageTreeWire, depth: number): Tree {
  const aliases = m.aliases.length === 0 ? '' : ` (${m.aliases.map((a) => `@${a}`).join(', ')})`
  const tree: Tree = [
    [depth, `model ${m.model}/${m.version}${aliases}`],
    [depth + 1, `run ${m.run_id}`],
  ]
  for (const d of m.datasets) {
    tree.push([depth + 2, `dataset ${d.version === null ? d.name : `${d.name}@${d.version}`}`])
  }
  const params = Object.entries(m.params).map(([k, v]) => `${k}=${v}`)
  if (params.length > 0) tree.push([depth + 2, `params: ${params.join(' ')}`])
  const metrics = Object.entries(m.metrics).map(([k, v]) => `${k}=${formatNumber(v)}`)
  if (metrics.length > 0) tree.push([depth + 2, `metrics: ${metrics.join(' ')}`])
  if (m.pipeline_run !== null) tree.push(...pipelineTree(m.pipeline_run, depth + 1))
  for (const d of m.deployments) tree.push([depth + 1, `deployed: ${d.name} (${d.role})`])
  return tree
}

function predictionTree(p: PredictionLineageWire): Tree {
  return [
    [0, `prediction ${p.request_id}`],
    [1, `deployment ${p.deployment} at ${formatTime(p.time)}${p.shadow ? ' (shadow)' : ''}`],
    [1, `label: ${p.label ?? 'none yet'}`],
    ...modelTree(p.model, 1),
  ]
}

function datasetTree(d: DatasetLineageWire): Tree {
  const tree: Tree = [
    [0, `dataset ${d.name}@${d.version} (${d.rows} rows, by ${d.created_by})`],
    [1, `digest ${d.digest}`],
    [1, `versions: ${d.versions.join(', ')}`],
  ]
  for (const m of d.models) tree.push([1, `model ${m.model}/${m.version} (run ${m.run_id})`])
  for (const run of d.pipeline_runs) tree.push(...pipelineTree(run, 1))
  return tree
}

export function registerLineageCommand(program: Command, io: CliIo): void {
  const lineage = program
    .command('lineage')
    .description('what made a prediction, a model version or a dataset version')

  lineage
    .command('prediction')
    .description('a logged prediction → model version → run, datasets, pipeline run and trigger')
    .argument('<id>', 'request id (a record of a records request: ID-INDEX)')
    .option('--deployment <name>', 'search only this deployment’s log')
    .action(async (id: string, options: { deployment?: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const qs =
        options.deployment === undefined
          ? ''
          : `?${new URLSearchParams({ deployment: options.deployment }).toString()}`
      await withClient(config, io, async ({ ballast }) => {
        const path = `${API}/predictions/${encodeURIComponent(id)}${qs}`
        const result = await ballast.request<PredictionLineageWire>('GET', path)
        if (json) return writeJson(io, result)
        io.stdout.write(render(predictionTree(result)))
      })
    })

  lineage
    .command('model')
    .description('a model version → run, datasets, pipeline run and the deployments serving it')
    .argument('<ref>', 'MODEL/VERSION or MODEL@ALIAS')
    .action(async (ref: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const path = `${API}/models/${encodeURIComponent(ref)}`
        const result = await ballast.request<ModelLineageTreeWire>('GET', path)
        if (json) return writeJson(io, result)
        io.stdout.write(render(modelTree(result, 0)))
      })
    })

  lineage
    .command('dataset')
    .description('a dataset version → model versions trained on it and pipeline runs that made it')
    .argument('<ref>', 'NAME@VERSION (a bare NAME means the latest)')
    .action(async (ref: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const path = `${API}/datasets/${encodeURIComponent(ref)}`
        const result = await ballast.request<DatasetLineageWire>('GET', path)
        if (json) return writeJson(io, result)
        io.stdout.write(render(datasetTree(result)))
      })
    })
}
