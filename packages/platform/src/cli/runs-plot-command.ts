import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { InvalidParameterError } from '@ballast/contracts'
import type { Command } from 'commander'
import { type ChartSeries, renderLineChartSvg } from '../charts/line-chart-svg.js'
import { withClient } from './client.js'
import { type CliIo, collect, commandSettings } from './global-options.js'
import { writeJson } from './output.js'

interface PlotOptions {
  metric: string[]
  output: string
  x: 'step' | 'time'
}

/** `ballast runs plot RUN… --metric KEY --output FILE.svg`: metric curves as a picture. */
export function registerRunsPlotCommand(runs: Command, io: CliIo): void {
  runs
    .command('plot')
    .description('draw the history of metrics of one or more runs as an SVG line chart')
    .argument('<run-ids...>', 'run ids')
    .requiredOption('--metric <key>', 'metric to draw (repeatable)', collect)
    .requiredOption('--output <file.svg>', 'where to write the chart')
    .option('--x <axis>', 'x axis: step or time (seconds since the first point)', 'step')
    .action(async (runIds: string[], options: PlotOptions, command: Command) => {
      const { config, json } = commandSettings(command, io)
      if (options.x !== 'step' && options.x !== 'time') {
        throw new InvalidParameterError(`--x must be step or time, got '${String(options.x)}'`)
      }
      if (!options.output.toLowerCase().endsWith('.svg')) {
        throw new InvalidParameterError(`--output must name an .svg file, got '${options.output}'`)
      }
      await withClient(config, io, async ({ ballast }) => {
        const series: ChartSeries[] = []
        for (const runId of runIds) {
          const run = await ballast.getRun(runId)
          const label = runIds.length > 1 ? `${run.info.run_name ?? runId} ` : ''
          for (const key of options.metric) {
            const history = await ballast.getMetricHistory(runId, key)
            const t0 = Math.min(...history.map((m) => m.timestamp))
            series.push({
              name: `${label}${key}`,
              points: history.map((m) => ({
                x: options.x === 'step' ? m.step : (m.timestamp - t0) / 1000,
                y: typeof m.value === 'number' ? m.value : Number(m.value),
              })),
            })
          }
        }
        const empty = series.filter((s) => s.points.length === 0).map((s) => s.name)
        if (empty.length === series.length) {
          throw new InvalidParameterError(`no history for metric(s) ${options.metric.join(', ')}`)
        }
        const svg = renderLineChartSvg(series, {
          title: options.metric.join(', '),
          xLabel: options.x === 'step' ? 'step' : 'seconds',
          yLabel: options.metric.length === 1 ? options.metric[0]! : 'value',
        })
        const file = path.resolve(io.cwd, options.output)
        writeFileSync(file, svg)
        const points = series.reduce((n, s) => n + s.points.length, 0)
        if (json) return writeJson(io, { output: file, series: series.length, points })
        io.stdout.write(`wrote ${file} (${series.length} series, ${points} points)\n`)
        if (empty.length > 0) io.stderr.write(`no history for: ${empty.join(', ')}\n`)
      })
    })
}
