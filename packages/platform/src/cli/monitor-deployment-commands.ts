import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  type CreateMonitorRequest,
  InvalidParameterError,
  type MonitorResultWire,
  type MonitorWire,
} from '@ballast/contracts'
import type { Command } from 'commander'
import { withClient } from './client.js'
import {
  type CliIo,
  collectKeyValue,
  commaList,
  commandSettings,
  finite,
  positiveInteger,
} from './global-options.js'
import { monitorsApi } from './monitors-api.js'
import { type Cell, formatFields, formatTime, writeJson, writeTable } from './output.js'

/** `ballast monitor create|list|show|delete|run|results`: monitors on deployments. */

interface CreateOptions {
  deployment: string
  name?: string
  every?: string
  reference?: string
  stattest?: string
  numStattest?: string
  catStattest?: string
  perColumnStattest?: Array<{ key: string; value: string }>
  threshold?: number
  driftShare?: number
  columns?: string[]
  detector?: string
  tolerance?: number
  minLabeled?: number
  since?: string
  webhook?: string
  webhookSecret?: string
}

/** Only the options given: the server fills in the rest and answers with them. */
export function createRequest(o: CreateOptions): CreateMonitorRequest {
  const options: NonNullable<CreateMonitorRequest['options']> = {
    ...(o.stattest === undefined ? {} : { stattest: o.stattest }),
    ...(o.numStattest === undefined ? {} : { num_stattest: o.numStattest }),
    ...(o.catStattest === undefined ? {} : { cat_stattest: o.catStattest }),
    ...(o.perColumnStattest === undefined
      ? {}
      : {
          per_column_stattest: Object.fromEntries(
            o.perColumnStattest.map(({ key, value }) => [key, value]),
          ),
        }),
    ...(o.threshold === undefined ? {} : { threshold: o.threshold }),
    ...(o.driftShare === undefined ? {} : { drift_share: o.driftShare }),
    ...(o.columns === undefined ? {} : { columns: o.columns }),
    ...(o.detector === undefined
      ? {}
      : { detector: o.detector as NonNullable<typeof options.detector> }),
    ...(o.tolerance === undefined ? {} : { performance_tolerance: o.tolerance }),
    ...(o.minLabeled === undefined ? {} : { min_labeled: o.minLabeled }),
  }
  return {
    deployment: o.deployment,
    ...(o.name === undefined ? {} : { name: o.name }),
    ...(o.every === undefined ? {} : { every: o.every }),
    ...(o.reference === undefined ? {} : { reference: o.reference }),
    ...(Object.keys(options).length === 0 ? {} : { options }),
    ...(o.since === undefined ? {} : { since: o.since }),
  }
}

const decimals = (value: number | null | undefined): Cell =>
  value === null || value === undefined ? undefined : value.toFixed(3)

export const RESULT_HEADERS = [
  'WINDOW',
  'END',
  'ROWS',
  'LABELED',
  'DRIFT SHARE',
  'DRIFTED',
  'PRED DRIFT',
  'QUALITY FAILS',
  'ACCURACY',
  'ROC AUC',
  'EST ACCURACY',
  'EST ROC AUC',
  'RMSE',
  'EVENTS',
]

/** One line per window: what a person scans for a trend. */
export function resultRow(r: MonitorResultWire): Cell[] {
  const p = r.performance
  return [
    r.window,
    formatTime(r.end),
    r.rows,
    r.labeled,
    decimals(r.drift?.share_of_drifted_columns),
    r.drift === null ? undefined : r.drift.dataset_drift ? 'yes' : 'no',
    decimals(r.prediction_drift?.drift_score),
    r.quality?.failed,
    decimals(p?.realized?.accuracy),
    decimals(p?.realized?.roc_auc),
    decimals(p?.estimated?.accuracy),
    decimals(p?.estimated?.roc_auc),
    decimals(p?.realized?.rmse),
    r.events.join(','),
  ]
}

function describe(m: MonitorWire): string {
  return `every ${m.every} against ${m.reference}, from ${formatTime(m.cursor.time)}`
}

export function registerMonitorDeploymentCommands(monitor: Command, io: CliIo): void {
  monitor
    .command('create')
    .description("watch a deployment's predictions window by window")
    .requiredOption('--deployment <name>', 'the deployment to watch')
    .option('--name <name>', 'monitor name (default: the deployment name)')
    .option(
      '--every <size>',
      "window size: '1000 predictions' (default) or a duration: 15m, 1h, 1d",
    )
    .option(
      '--reference <ref>',
      "'training' (default: the model's training data) or DATASET@VERSION",
    )
    .option('--stattest <name>', 'drift test for every column (e.g. psi, ks, wasserstein)')
    .option('--num-stattest <name>', 'drift test for numerical columns')
    .option('--cat-stattest <name>', 'drift test for categorical columns')
    .option(
      '--per-column-stattest <column=name>',
      'drift test of one column (repeatable)',
      collectKeyValue,
    )
    .option('--threshold <x>', "threshold of every column's test (default: the test's own)", finite)
    .option('--drift-share <x>', 'share of drifted columns that means data set drift (0.5)', finite)
    .option(
      '--columns <names>',
      'features to watch (comma-separated; default: every input)',
      commaList,
    )
    .option(
      '--detector <name>',
      'detector on the error stream: adwin, ddm, eddm, page-hinkley, kswin',
    )
    .option(
      '--tolerance <x>',
      'performance_degraded when worse than the test metric by more (0.05)',
      finite,
    )
    .option(
      '--min-labeled <n>',
      'labelled rows a window needs for realized metrics (100)',
      positiveInteger,
    )
    .option('--since <time>', 'first window starts here: ISO-8601 or epoch ms (default: now)')
    .option('--webhook <url>', "post the monitor's events to this URL")
    .option('--webhook-secret <secret>', 'signing secret of --webhook (default: generated)')
    .action(async (options: CreateOptions, command: Command) => {
      const { config, json } = commandSettings(command, io)
      if (options.webhookSecret !== undefined && options.webhook === undefined) {
        throw new InvalidParameterError("'--webhook-secret' needs '--webhook URL'")
      }
      await withClient(config, io, async ({ ballast }) => {
        const api = monitorsApi(ballast)
        const { monitor: m } = await api.create(createRequest(options))
        const hook =
          options.webhook === undefined
            ? undefined
            : await api.addWebhook(m.name, {
                url: options.webhook,
                ...(options.webhookSecret === undefined ? {} : { secret: options.webhookSecret }),
              })
        if (json) return writeJson(io, { monitor: m, ...hook })
        io.stdout.write(
          `created monitor '${m.name}' on deployment '${m.deployment}': ${describe(m)}\n`,
        )
        if (hook !== undefined) {
          io.stdout.write(`added webhook ${hook.webhook.id}: ${hook.webhook.url}\n`)
          io.stdout.write(`webhook secret (shown only now): ${hook.secret}\n`)
        }
      })
    })

  monitor
    .command('list')
    .description('list monitors')
    .action(async (_options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await monitorsApi(ballast).list()
        if (json) return writeJson(io, result)
        writeTable(
          io,
          ['NAME', 'DEPLOYMENT', 'EVERY', 'REFERENCE', 'WINDOWS', 'NEXT FROM'],
          result.monitors.map((m) => [
            m.name,
            m.deployment,
            m.every,
            m.reference,
            m.windows,
            formatTime(m.cursor.time),
          ]),
          'no monitors',
        )
      })
    })

  monitor
    .command('show')
    .description('show a monitor, its options and its latest window')
    .argument('<name>', 'monitor name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await monitorsApi(ballast).get(name)
        if (json) return writeJson(io, result)
        const { monitor: m, latest } = result
        const o = m.options
        const tests = [
          o.stattest === null ? '' : `all: ${o.stattest}`,
          o.num_stattest === null ? '' : `num: ${o.num_stattest}`,
          o.cat_stattest === null ? '' : `cat: ${o.cat_stattest}`,
          ...Object.entries(o.per_column_stattest ?? {}).map(([c, t]) => `${c}: ${t}`),
        ].filter((t) => t !== '')
        io.stdout.write(
          formatFields([
            ['name', m.name],
            ['deployment', m.deployment],
            ['every', m.every],
            ['reference', m.reference],
            ['columns', o.columns?.join(', ') ?? 'every input'],
            ['stattests', tests.length === 0 ? 'defaults' : tests.join(', ')],
            ['threshold', o.threshold ?? "each test's own"],
            ['drift share', o.drift_share],
            ['detector', o.detector],
            ['tolerance', o.performance_tolerance],
            ['min labeled', o.min_labeled],
            [
              'quality',
              `missing ${o.quality.missing_share}, new categories ${o.quality.new_category_share}, out of range ${o.quality.out_of_range_share}`,
            ],
            ['windows', m.windows],
            ['due', result.due],
            ['next from', formatTime(m.cursor.time)],
            ['created', `${formatTime(m.created_at)} by ${m.created_by}`],
          ]),
        )
        if (latest !== null) {
          io.stdout.write('\n')
          writeTable(io, RESULT_HEADERS, [resultRow(latest)], '')
        }
      })
    })

  monitor
    .command('delete')
    .description('delete a monitor with its results, events and webhooks')
    .argument('<name>', 'monitor name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await monitorsApi(ballast).delete(name)
        if (json) return writeJson(io, result)
        io.stdout.write(`deleted monitor '${result.monitor.name}'\n`)
      })
    })

  monitor
    .command('run')
    .description('evaluate the windows that are due now and print them')
    .argument('<name>', 'monitor name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await monitorsApi(ballast).evaluate(name)
        if (json) return writeJson(io, result)
        writeTable(io, RESULT_HEADERS, result.results.map(resultRow), 'no window is due')
      })
    })

  monitor
    .command('results')
    .description("a monitor's windows: drift, quality, performance and events")
    .argument('<name>', 'monitor name')
    .option('--limit <n>', 'the latest N windows (default 1000)', positiveInteger)
    .option('--html <file>', 'also write the HTML report to this file')
    .action(async (name: string, options: { limit?: number; html?: string }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const api = monitorsApi(ballast)
        const result = await api.results(name, { limit: options.limit })
        if (options.html !== undefined) {
          const file = path.resolve(io.cwd, options.html)
          await writeFile(file, await api.report(name, { limit: options.limit }))
          // Standard error, so that --json output stays one JSON document.
          io.stderr.write(`wrote ${file}\n`)
        }
        if (json) return writeJson(io, result)
        writeTable(io, RESULT_HEADERS, result.results.map(resultRow), 'no windows yet')
      })
    })
}
