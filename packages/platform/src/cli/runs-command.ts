import type { Ballast, RunRecord, SearchRunsResponse } from '@ballast/sdk'
import type { Command } from 'commander'
import { withClient } from './client.js'
import { resolveExperiment } from './experiments-command.js'
import { registerRunsPlotCommand } from './runs-plot-command.js'
import { type CliIo, collect, commandSettings, positiveInteger } from './global-options.js'
import {
  type Cell,
  formatDuration,
  formatFields,
  formatNumber,
  formatTable,
  formatTime,
  writeJson,
  writeTable,
} from './output.js'

/** MLflow's largest page of runs. */
const PAGE_LIMIT = 1000
const DEFAULT_MAX = 100

/**
 * Up to `max` runs, following page tokens when `max` is more than one page. The result has the
 * API's shape; `next_page_token` is kept when more runs match.
 */
async function searchUpTo(
  ballast: Ballast,
  request: { experimentIds: string[]; filter?: string; orderBy?: string[] },
  max: number,
): Promise<SearchRunsResponse> {
  const search = (have: number, pageToken?: string) =>
    ballast.searchRuns({
      ...request,
      maxResults: Math.min(PAGE_LIMIT, max - have),
      ...(pageToken ? { pageToken } : {}),
    })
  let page = await search(0)
  // One page is printed as the server wrote it.
  if (!page.next_page_token || (page.runs?.length ?? 0) >= max) return page
  const runs = [...(page.runs ?? [])]
  while (page.next_page_token && runs.length < max) {
    page = await search(runs.length, page.next_page_token)
    runs.push(...(page.runs ?? []))
  }
  return { runs, ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) }
}

function noteMore(io: CliIo, result: SearchRunsResponse, max: number): void {
  if (result.next_page_token)
    io.stderr.write(`more runs match; showing the first ${max} (use --max to see more)\n`)
}

/** `metrics.auc`, `params."learning rate"`, `` metrics.`f1 score` `` named in a filter or an order. */
function referencedKeys(
  texts: readonly string[],
): Array<{ kind: 'metrics' | 'params'; key: string }> {
  const seen = new Set<string>()
  const out: Array<{ kind: 'metrics' | 'params'; key: string }> = []
  for (const text of texts) {
    for (const m of text.matchAll(/\b(metrics|params)\.(?:"([^"]+)"|`([^`]+)`|([\w.-]*\w))/g)) {
      const kind = m[1] as 'metrics' | 'params'
      const key = m[2] ?? m[3] ?? m[4]!
      if (!seen.has(`${kind}.${key}`)) {
        seen.add(`${kind}.${key}`)
        out.push({ kind, key })
      }
    }
  }
  return out
}

function valueOf(run: RunRecord, kind: 'metrics' | 'params', key: string): Cell {
  if (kind === 'params') return run.data.params?.find((p) => p.key === key)?.value
  const metric = run.data.metrics?.find((m) => m.key === key)
  return metric === undefined ? undefined : formatNumber(metric.value)
}

function writeRunTable(
  io: CliIo,
  runs: readonly RunRecord[],
  extra: ReturnType<typeof referencedKeys>,
): void {
  writeTable(
    io,
    [
      'RUN ID',
      'EXPERIMENT',
      'NAME',
      'STATUS',
      'STARTED',
      'DURATION',
      ...extra.map((e) => `${e.kind}.${e.key}`),
    ],
    runs.map((r) => [
      r.info.run_id,
      r.info.experiment_id,
      r.info.run_name,
      r.info.status,
      formatTime(r.info.start_time),
      formatDuration(r.info.start_time, r.info.end_time),
      ...extra.map((e) => valueOf(r, e.kind, e.key)),
    ]),
    'no runs',
  )
}

function writeRunDetails(io: CliIo, run: RunRecord): void {
  const { info, data, inputs } = run
  io.stdout.write(
    formatFields([
      ['run', info.run_id],
      ['name', info.run_name],
      ['experiment', info.experiment_id],
      ['status', info.status],
      ['user', info.user_id],
      ['started', formatTime(info.start_time)],
      ['ended', formatTime(info.end_time)],
      ['duration', formatDuration(info.start_time, info.end_time)],
      ['artifacts', info.artifact_uri],
    ]),
  )
  const byKey = <T extends { key: string }>(list: readonly T[] | undefined) =>
    [...(list ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const section = (title: string, headers: string[], rows: Cell[][]) => {
    io.stdout.write(`\n${title}\n`)
    io.stdout.write(rows.length === 0 ? '(none)\n' : formatTable(headers, rows))
  }
  section(
    'params',
    ['KEY', 'VALUE'],
    byKey(data.params).map((p) => [p.key, p.value]),
  )
  section(
    'metrics (latest)',
    ['KEY', 'VALUE', 'STEP', 'LOGGED'],
    byKey(data.metrics).map((m) => [m.key, formatNumber(m.value), m.step, formatTime(m.timestamp)]),
  )
  section(
    'tags',
    ['KEY', 'VALUE'],
    byKey(data.tags).map((t) => [t.key, t.value]),
  )
  const datasets = inputs.dataset_inputs ?? []
  if (datasets.length > 0) {
    section(
      'datasets',
      ['NAME', 'DIGEST', 'CONTEXT', 'SOURCE'],
      datasets.map((d) => [
        d.dataset.name,
        d.dataset.digest,
        d.tags?.find((t) => t.key === 'mlflow.data.context')?.value,
        d.dataset.source,
      ]),
    )
  }
}

export function registerRunsCommand(program: Command, io: CliIo): void {
  const runs = program.command('runs').description('list, show and search runs')

  runs
    .command('list')
    .description('list the runs of an experiment, newest first')
    .requiredOption('--experiment <name|id>', 'experiment name or id')
    .option('--max <n>', `show at most this many runs (default ${DEFAULT_MAX})`, positiveInteger)
    .action(async (options: { experiment: string; max?: number }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      const max = options.max ?? DEFAULT_MAX
      await withClient(config, io, async ({ ballast }) => {
        const experiment = await resolveExperiment(ballast, options.experiment)
        const result = await searchUpTo(ballast, { experimentIds: [experiment.experiment_id] }, max)
        if (json) return writeJson(io, result)
        writeRunTable(io, result.runs ?? [], [])
        noteMore(io, result, max)
      })
    })

  runs
    .command('show')
    .description('show a run: info, params, latest metrics, tags and datasets')
    .argument('<run-id>', 'run id')
    .action(async (runId: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const run = await ballast.getRun(runId)
        if (json) return writeJson(io, { run })
        writeRunDetails(io, run)
      })
    })

  runs
    .command('search')
    .description(
      'search runs with an MLflow filter, e.g. "metrics.rmse < 0.5 and params.model = \'gbm\'"',
    )
    .option(
      '--experiment <name|id>',
      'experiment name or id (repeatable; default: every experiment)',
      collect,
    )
    .option('--filter <expr>', 'MLflow search filter')
    .option('--order-by <expr>', 'sort, e.g. "metrics.rmse ASC" (repeatable)', collect)
    .option('--max <n>', `show at most this many runs (default ${DEFAULT_MAX})`, positiveInteger)
    .action(
      async (
        options: { experiment?: string[]; filter?: string; orderBy?: string[]; max?: number },
        command: Command,
      ) => {
        const { config, json } = commandSettings(command, io)
        const max = options.max ?? DEFAULT_MAX
        await withClient(config, io, async ({ ballast }) => {
          const experimentIds =
            options.experiment === undefined
              ? (await ballast.listExperiments()).map((e) => e.experiment_id)
              : await Promise.all(
                  options.experiment.map(
                    async (ref) => (await resolveExperiment(ballast, ref)).experiment_id,
                  ),
                )
          const request = {
            experimentIds,
            ...(options.filter === undefined ? {} : { filter: options.filter }),
            ...(options.orderBy === undefined ? {} : { orderBy: options.orderBy }),
          }
          const result = await searchUpTo(ballast, request, max)
          if (json) return writeJson(io, result)
          writeRunTable(
            io,
            result.runs ?? [],
            referencedKeys([options.filter ?? '', ...(options.orderBy ?? [])]),
          )
          noteMore(io, result, max)
        })
      },
    )

  registerRunsPlotCommand(runs, io)
}
