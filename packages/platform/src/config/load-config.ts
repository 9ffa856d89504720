import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { AppError } from '@ballast/contracts'
import { parse as parseYaml } from 'yaml'
import type { z } from 'zod'
import { CONFIG_SCHEMA, type ParsedConfig } from './config-schema.js'

/** Ballast's configuration after every source is merged and checked. Frozen. */
export interface Config extends ParsedConfig {
  /** Absolute home folder. */
  readonly home: string
  /** Resolved metadata store: `{kind:'sqlite', path}` or `{kind:'postgres', url}`. */
  readonly database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string }
  /** Resolved artifact store. */
  readonly artifactStore:
    { kind: 'local'; root: string } | { kind: 's3'; bucket: string; prefix: string }
}

type Tree = { [key: string]: unknown }

/** Environment variables Ballast reads, and the config key each sets. */
export const ENV_KEYS: Record<string, string> = {
  BALLAST_HOME: 'home',
  BALLAST_DB: 'db',
  BALLAST_ARTIFACTS: 'artifacts',
  BALLAST_S3_ENDPOINT: 's3.endpoint',
  BALLAST_S3_REGION: 's3.region',
  BALLAST_S3_FORCE_PATH_STYLE: 's3.forcePathStyle',
  BALLAST_S3_ACCESS_KEY_ID: 's3.accessKeyId',
  BALLAST_S3_SECRET_ACCESS_KEY: 's3.secretAccessKey',
  BALLAST_HOST: 'server.host',
  BALLAST_PORT: 'server.port',
  BALLAST_BODY_LIMIT_BYTES: 'server.bodyLimitBytes',
  BALLAST_SHUTDOWN_TIMEOUT_MS: 'server.shutdownTimeoutMs',
  BALLAST_AUTH: 'auth.enabled',
  BALLAST_LOG_LEVEL: 'log.level',
  BALLAST_WORKER_EMBEDDED: 'worker.embedded',
  BALLAST_WORKER_POLL_MS: 'worker.pollMs',
  BALLAST_WORKER_LEASE_MS: 'worker.leaseMs',
  BALLAST_SERVING_SYNC_INTERVAL_MS: 'serving.syncIntervalMs',
  BALLAST_SERVING_REQUEST_TIMEOUT_MS: 'serving.requestTimeoutMs',
  BALLAST_SERVING_MAX_IN_FLIGHT: 'serving.maxInFlight',
  BALLAST_MONITORING_CHECK_INTERVAL_MS: 'monitoring.checkIntervalMs',
  BALLAST_MONITORING_ALLOW_PRIVATE_WEBHOOKS: 'monitoring.allowPrivateWebhooks',
  BALLAST_ORCHESTRATION_TRIGGER_INTERVAL_MS: 'orchestration.triggerIntervalMs',
  BALLAST_URL: 'url',
  BALLAST_TOKEN: 'token',
}

export interface LoadConfigOptions {
  /** Values from command-line flags, keyed by config path (`server.port`). Undefined = not given. */
  flags?: Record<string, unknown>
  /** The environment; only `BALLAST_*` keys are read. */
  env?: Record<string, string | undefined>
  /** Explicit YAML file; otherwise `BALLAST_CONFIG`, then `./ballast.yaml` when it exists. */
  configFile?: string
  cwd?: string
}

function setPath(tree: Tree, key: string, value: unknown): void {
  const parts = key.split('.')
  let node = tree
  for (const part of parts.slice(0, -1)) {
    const next = node[part]
    if (typeof next !== 'object' || next === null) node[part] = {}
    node = node[part] as Tree
  }
  node[parts[parts.length - 1]!] = value
}

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base }
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k]
    out[k] =
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      typeof prev === 'object' &&
      prev !== null
        ? merge(prev as Tree, v as Tree)
        : v
  }
  return out
}

function readYaml(file: string): Tree {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    throw new AppError(
      'INVALID_PARAMETER_VALUE',
      `cannot read config file ${file}: ${(cause as Error).message}`,
    )
  }
  try {
    const doc: unknown = parseYaml(text)
    if (doc === null || doc === undefined) return {}
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      throw new Error('the top level must be a mapping of keys')
    }
    return doc as Tree
  } catch (cause) {
    throw new AppError(
      'INVALID_PARAMETER_VALUE',
      `invalid config file ${file}: ${(cause as Error).message}`,
    )
  }
}

function describeIssues(issues: z.core.$ZodIssue[], sourceOf: (key: string) => string): string {
  return issues
    .map((issue) => {
      const base = issue.path.join('.')
      if (issue.code === 'unrecognized_keys') {
        return issue.keys
          .map((k) => {
            const key = base ? `${base}.${k}` : k
            return `  ${key}: unknown setting (from ${sourceOf(key)})`
          })
          .join('\n')
      }
      const key = base || '(root)'
      return `  ${key}: ${issue.message} (from ${sourceOf(key)})`
    })
    .join('\n')
}

/**
 * Merges flags > BALLAST_* environment > ballast.yaml > defaults, validates the result and fails
 * listing every bad key with the source it came from. Nothing else in Ballast reads process.env.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd()
  const env = options.env ?? process.env
  const sources = new Map<string, string>()

  const configFile =
    options.configFile ??
    env.BALLAST_CONFIG ??
    (existsSync(path.join(cwd, 'ballast.yaml')) ? 'ballast.yaml' : undefined)
  const fileTree = configFile === undefined ? {} : readYaml(path.resolve(cwd, configFile))
  const markFile = (tree: Tree, prefix: string) => {
    for (const [k, v] of Object.entries(tree)) {
      const key = prefix ? `${prefix}.${k}` : k
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) markFile(v as Tree, key)
      else sources.set(key, configFile ?? 'ballast.yaml')
    }
  }
  markFile(fileTree, '')

  const envTree: Tree = {}
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name]
    if (value !== undefined && value !== '') {
      setPath(envTree, key, value)
      sources.set(key, name)
    }
  }
  const flagTree: Tree = {}
  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) {
      setPath(flagTree, key, value)
      sources.set(
        key,
        `--${key
          .split('.')
          .pop()!
          .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      )
    }
  }

  const merged = merge(merge(fileTree, envTree), flagTree)
  const result = CONFIG_SCHEMA.safeParse(merged)
  if (!result.success) {
    const sourceOf = (key: string) => sources.get(key) ?? 'defaults'
    throw new AppError(
      'INVALID_PARAMETER_VALUE',
      `invalid configuration:\n${describeIssues(result.error.issues, sourceOf)}`,
    )
  }
  const parsed = result.data
  const home = path.resolve(cwd, parsed.home)
  const database = resolveDatabase(parsed.db, home, cwd)
  const artifactStore = resolveArtifacts(parsed.artifacts, home, cwd)
  if (!parsed.auth.enabled && !isLoopbackHost(parsed.server.host)) {
    throw new AppError(
      'INVALID_PARAMETER_VALUE',
      `invalid configuration:\n  server.host: ${parsed.server.host} is not a loopback address; listening beyond this machine requires auth.enabled (BALLAST_AUTH=true) (from ${sources.get('server.host') ?? 'defaults'})`,
    )
  }
  return deepFreeze({ ...parsed, home, database, artifactStore })
}

function resolveDatabase(db: string | undefined, home: string, cwd: string): Config['database'] {
  if (db === undefined) return { kind: 'sqlite', path: path.join(home, 'ballast.db') }
  if (/^postgres(ql)?:\/\//i.test(db)) return { kind: 'postgres', url: db }
  const file = db.startsWith('sqlite:') ? db.slice('sqlite:'.length) : db
  return { kind: 'sqlite', path: file === ':memory:' ? file : path.resolve(cwd, file) }
}

function resolveArtifacts(
  artifacts: string | undefined,
  home: string,
  cwd: string,
): Config['artifactStore'] {
  if (artifacts === undefined) return { kind: 'local', root: path.join(home, 'artifacts') }
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(artifacts)
  if (s3) return { kind: 's3', bucket: s3[1]!, prefix: s3[2]!.replace(/\/+$/, '') }
  return { kind: 'local', root: path.resolve(cwd, artifacts) }
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h)
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}
