import {
  FINAL_JOB_STATUSES,
  type GetJobResponse,
  JOBS_API,
  JOB_STATUSES,
  type JobLogsResponse,
  type JobRecord,
  type JobStatus,
  type ListJobsResponse,
} from '@ballast/contracts'
import { type Command, InvalidArgumentError } from 'commander'
import { withClient } from './client.js'
import { type CliIo, commandSettings, positiveInteger } from './global-options.js'
import { formatLogLine, waitForJob } from './job-wait.js'
import { formatDuration, formatFields, formatTime, writeJson, writeTable } from './output.js'

/** `ballast jobs …`: follow and cancel long work (trainings, scoring, retraining). */

const jobPath = (id: string) => `${JOBS_API}/${encodeURIComponent(id)}`

function status(value: string): JobStatus {
  if (!(JOB_STATUSES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${JOB_STATUSES.join(', ')}`)
  }
  return value as JobStatus
}

function progressText(job: JobRecord): string | undefined {
  const { done, total, message } = job.progress
  if (total <= 0 && message === null) return undefined
  const count = total > 0 ? `${done}/${total}` : `${done}`
  return message === null ? count : `${count} ${message}`
}

function endOf(job: JobRecord): number | undefined {
  if (job.finishedAt !== null) return job.finishedAt
  return job.status === 'running' ? Date.now() : undefined
}

function showJob(io: CliIo, job: JobRecord): void {
  io.stdout.write(
    formatFields([
      ['id', job.id],
      ['kind', job.kind],
      [
        'status',
        job.cancelRequested && job.status === 'running' ? 'running (cancel requested)' : job.status,
      ],
      ['attempts', `${job.attempts} of ${job.maxAttempts}`],
      ['created by', job.createdBy],
      ['created', formatTime(job.createdAt)],
      ['started', formatTime(job.startedAt ?? undefined)],
      ['finished', formatTime(job.finishedAt ?? undefined)],
      ['duration', formatDuration(job.startedAt ?? undefined, endOf(job))],
      ['progress', progressText(job)],
      ['error', job.error === null ? undefined : `${job.error.code}: ${job.error.message}`],
      ['result', job.result === null ? undefined : JSON.stringify(job.result)],
    ]),
  )
}

export function registerJobsCommand(program: Command, io: CliIo): Command {
  const jobs = program.command('jobs').description('long work run by workers: list, follow, cancel')

  jobs
    .command('list')
    .description('jobs, newest first')
    .option('--status <status>', `only jobs in this status (${JOB_STATUSES.join('|')})`, status)
    .option('--kind <kind>', 'only jobs of this kind (train, …)')
    .option('--limit <n>', 'at most this many (default 100)', positiveInteger)
    .action(
      async (options: { status?: JobStatus; kind?: string; limit?: number }, command: Command) => {
        const { config, json } = commandSettings(command, io)
        await withClient(config, io, async ({ ballast }) => {
          const result = await ballast.request<ListJobsResponse>('GET', JOBS_API, {
            status: options.status,
            kind: options.kind,
            limit: options.limit,
          })
          if (json) return writeJson(io, result)
          writeTable(
            io,
            ['ID', 'KIND', 'STATUS', 'PROGRESS', 'ATTEMPTS', 'CREATED', 'BY', 'DURATION'],
            result.jobs.map((j) => [
              j.id,
              j.kind,
              j.status,
              progressText(j),
              `${j.attempts}/${j.maxAttempts}`,
              formatTime(j.createdAt),
              j.createdBy,
              formatDuration(j.startedAt ?? undefined, endOf(j)),
            ]),
            'no jobs',
          )
        })
      },
    )

  jobs
    .command('show')
    .description('one job: status, progress, error or result')
    .argument('<id>', 'job id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<GetJobResponse>('GET', jobPath(id))
        if (json) return writeJson(io, result)
        showJob(io, result.job)
      })
    })

  jobs
    .command('logs')
    .description("a job's log lines; --follow prints new ones until the job ends")
    .argument('<id>', 'job id')
    .option('--follow', 'keep printing until the job ends (Ctrl-C stops following, not the job)')
    .action(async (id: string, options: { follow?: boolean }, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async (client) => {
        if (options.follow === true) {
          // Log lines go to standard output here: they are what was asked for.
          const out: CliIo = { ...io, stderr: io.stdout }
          const job = await waitForJob(client, id, json ? io : out, { json, pollMs: 500 })
          if (json) return writeJson(io, { job })
          if (FINAL_JOB_STATUSES.includes(job.status)) io.stderr.write(`job ${id} ${job.status}\n`)
          return
        }
        const logs: JobLogsResponse['logs'] = []
        for (;;) {
          const page = await client.ballast.request<JobLogsResponse>('GET', `${jobPath(id)}/logs`, {
            after: logs.at(-1)?.seq ?? 0,
            limit: 10_000,
          })
          logs.push(...page.logs)
          if (page.logs.length < 10_000) break
        }
        if (json) return writeJson(io, { logs })
        for (const line of logs) io.stdout.write(formatLogLine(line))
      })
    })

  jobs
    .command('cancel')
    .description('cancel a job: a queued one at once, a running one as soon as its worker sees it')
    .argument('<id>', 'job id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { config, json } = commandSettings(command, io)
      await withClient(config, io, async ({ ballast }) => {
        const result = await ballast.request<GetJobResponse>('POST', `${jobPath(id)}/cancel`)
        if (json) return writeJson(io, result)
        io.stdout.write(
          result.job.status === 'cancelled'
            ? `cancelled job ${id}\n`
            : `cancel requested for job ${id}: its worker stops it shortly\n`,
        )
      })
    })

  return jobs
}
