import { z } from 'zod'

const port = z.coerce.number().int().min(0).max(65535)
const bool = z.union([
  z.boolean(),
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v)),
])

/** The one schema of Ballast's configuration. Every setting has a default here. */
export const CONFIG_SCHEMA = z
  .object({
    /** Folder that holds the embedded SQLite file and the local artifact store. */
    home: z.string().min(1).default('./.ballast'),
    /** `sqlite:PATH`, a bare file path, or `postgres://…`. Default: `<home>/ballast.db`. */
    db: z
      .string()
      .min(1)
      .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^postgres(ql)?:\/\//i.test(v), {
        message: 'must be a SQLite file path, sqlite:PATH or postgres://…',
      })
      .optional(),
    /** `s3://bucket/prefix`, or a folder. Default: `<home>/artifacts`. */
    artifacts: z
      .string()
      .min(1)
      .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^s3:\/\/[^/]+/i.test(v), {
        message: 'must be a folder or s3://bucket/prefix',
      })
      .optional(),
    s3: z
      .object({
        endpoint: z.url().optional(),
        region: z.string().min(1).default('us-east-1'),
        forcePathStyle: bool.default(true),
        accessKeyId: z.string().optional(),
        secretAccessKey: z.string().optional(),
      })
      .strict()
      .default({ region: 'us-east-1', forcePathStyle: true }),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(5000),
        bodyLimitBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(32 * 1024 * 1024),
        artifactBodyLimitBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(5 * 1024 * 1024 * 1024),
        shutdownTimeoutMs: z.coerce.number().int().positive().default(10_000),
      })
      .strict()
      .default({
        host: '127.0.0.1',
        port: 5000,
        bodyLimitBytes: 32 * 1024 * 1024,
        artifactBodyLimitBytes: 5 * 1024 * 1024 * 1024,
        shutdownTimeoutMs: 10_000,
      }),
    auth: z
      .object({ enabled: bool.default(false) })
      .strict()
      .default({ enabled: false }),
    log: z
      .object({
        level: z
          .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
          .default('info'),
      })
      .strict()
      .default({ level: 'info' }),
    /** Job workers: the one inside `ballast server`, and the timing of every worker. */
    worker: z
      .object({
        /** `ballast server` runs a worker in process. */
        embedded: bool.default(true),
        /** How often an idle worker looks for a job. */
        pollMs: z.coerce.number().int().positive().default(1_000),
        /** A job whose worker has not renewed its lease for this long is run again elsewhere. */
        leaseMs: z.coerce.number().int().min(300).default(30_000),
      })
      .strict()
      .default({ embedded: true, pollMs: 1_000, leaseMs: 30_000 }),
    /** The data plane: how deployments are followed and how much load one process takes. */
    serving: z
      .object({
        /** How often the loaded models are compared with the deployments. */
        syncIntervalMs: z.coerce.number().int().positive().default(1_000),
        /** A prediction not answered within this is a 503. */
        requestTimeoutMs: z.coerce.number().int().positive().default(5_000),
        /** Predictions running at once; past this the answer is 503 with Retry-After. */
        maxInFlight: z.coerce.number().int().positive().default(256),
        predictionLog: z
          .object({
            /** How often logged predictions are written to the store. */
            flushIntervalMs: z.coerce.number().int().positive().default(1_000),
            /** Rows kept in memory before the oldest are dropped (the store is too slow). */
            maxBufferedRows: z.coerce.number().int().positive().default(100_000),
            /** How often settled segments are merged into bigger ones; 0 turns compaction off. */
            compactionIntervalMs: z.coerce.number().int().nonnegative().default(300_000),
          })
          .strict()
          .default({
            flushIntervalMs: 1_000,
            maxBufferedRows: 100_000,
            compactionIntervalMs: 300_000,
          }),
      })
      .strict()
      .default({
        syncIntervalMs: 1_000,
        requestTimeoutMs: 5_000,
        maxInFlight: 256,
        predictionLog: {
          flushIntervalMs: 1_000,
          maxBufferedRows: 100_000,
          compactionIntervalMs: 300_000,
        },
      }),
    /** Monitors on deployments and the delivery of their alerts. */
    monitoring: z
      .object({
        /** How often a server or worker looks for monitors with a due window. */
        checkIntervalMs: z.coerce.number().int().positive().default(5_000),
        /**
         * Webhook URLs may name loopback, private, link-local or cloud-metadata addresses. Off by
         * default: a monitor's webhook must not become a way into the network the server sits in.
         */
        allowPrivateWebhooks: bool.default(false),
        /** A webhook that has not answered within this is an attempt failed. */
        webhookTimeoutMs: z.coerce.number().int().positive().default(10_000),
        /** Attempts per delivery before it is marked failed (backoff doubles from 1 s, capped at 1 h). */
        webhookMaxAttempts: z.coerce.number().int().positive().default(12),
      })
      .strict()
      .default({
        checkIntervalMs: 5_000,
        allowPrivateWebhooks: false,
        webhookTimeoutMs: 10_000,
        webhookMaxAttempts: 12,
      }),
    /** Pipelines: their triggers. */
    orchestration: z
      .object({
        /** How often a server or worker checks pipeline triggers (schedules, datasets, events). */
        triggerIntervalMs: z.coerce.number().int().positive().default(5_000),
      })
      .strict()
      .default({ triggerIntervalMs: 5_000 }),
    /** A running server to act through (CLI); when set, the CLI never opens the store. */
    url: z.url().optional(),
    token: z.string().min(1).optional(),
  })
  .strict()

export type ConfigInput = z.input<typeof CONFIG_SCHEMA>
export type ParsedConfig = z.output<typeof CONFIG_SCHEMA>
