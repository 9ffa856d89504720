import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './load-config.js'

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ballast-config-'))
}

describe('loadConfig', () => {
  it('defaults to SQLite and local artifacts under ./.ballast, on loopback port 5000', () => {
    const cwd = tempDir()
    const config = loadConfig({ env: {}, cwd })
    expect(config.home).toBe(path.join(cwd, '.ballast'))
    expect(config.database).toEqual({
      kind: 'sqlite',
      path: path.join(cwd, '.ballast', 'ballast.db'),
    })
    expect(config.artifactStore).toEqual({
      kind: 'local',
      root: path.join(cwd, '.ballast', 'artifacts'),
    })
    expect(config.server.host).toBe('127.0.0.1')
    expect(config.server.port).toBe(5000)
    expect(config.auth.enabled).toBe(false)
    expect(Object.isFrozen(config.server)).toBe(true)
  })

  it('runs an embedded worker by default; the worker section is read from every source', () => {
    const cwd = tempDir()
    expect(loadConfig({ env: {}, cwd }).worker).toEqual({
      embedded: true,
      pollMs: 1_000,
      leaseMs: 30_000,
    })
    writeFileSync(path.join(cwd, 'ballast.yaml'), 'worker:\n  leaseMs: 60000\n')
    const config = loadConfig({
      env: { BALLAST_WORKER_EMBEDDED: 'false', BALLAST_WORKER_POLL_MS: '250' },
      cwd,
    })
    expect(config.worker).toEqual({ embedded: false, pollMs: 250, leaseMs: 60_000 })
    expect(() => loadConfig({ env: { BALLAST_WORKER_LEASE_MS: '10' }, cwd })).toThrow(
      /worker\.leaseMs: .+ \(from BALLAST_WORKER_LEASE_MS\)/,
    )
  })

  it('applies flags over BALLAST_* over ballast.yaml over defaults', () => {
    const cwd = tempDir()
    writeFileSync(
      path.join(cwd, 'ballast.yaml'),
      'home: from-file\nserver:\n  port: 7001\n  host: localhost\n',
    )
    const fileOnly = loadConfig({ env: {}, cwd })
    expect(fileOnly.home).toBe(path.join(cwd, 'from-file'))
    expect(fileOnly.server).toMatchObject({ port: 7001, host: 'localhost' })

    const withEnv = loadConfig({ env: { BALLAST_HOME: 'from-env', BALLAST_PORT: '7002' }, cwd })
    expect(withEnv.home).toBe(path.join(cwd, 'from-env'))
    expect(withEnv.server).toMatchObject({ port: 7002, host: 'localhost' })

    const withFlags = loadConfig({
      env: { BALLAST_HOME: 'from-env', BALLAST_PORT: '7002' },
      flags: { home: 'from-flag', 'server.port': undefined },
      cwd,
    })
    expect(withFlags.home).toBe(path.join(cwd, 'from-flag'))
    expect(withFlags.server.port).toBe(7002)
  })

  it('selects PostgreSQL and S3 from URLs', () => {
    const config = loadConfig({
      env: {},
      flags: {
        db: 'postgres://u@db:5432/ballast',
        artifacts: 's3://bucket/some/prefix/',
        's3.endpoint': 'http://127.0.0.1:9000',
      },
      cwd: tempDir(),
    })
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/ballast' })
    expect(config.artifactStore).toEqual({ kind: 's3', bucket: 'bucket', prefix: 'some/prefix' })
    expect(config.s3.endpoint).toBe('http://127.0.0.1:9000')
  })

  it('fails naming every bad key and where it came from', () => {
    const cwd = tempDir()
    writeFileSync(path.join(cwd, 'ballast.yaml'), 'server:\n  prot: 1\n')
    expect(() =>
      loadConfig({ env: { BALLAST_PORT: 'eighty', BALLAST_DB: 'mysql://x' }, cwd }),
    ).toThrowError(
      /server\.port: .*\(from BALLAST_PORT\)[\s\S]*db: must be a SQLite file path.*\(from BALLAST_DB\)|db: must be a SQLite file path.*\(from BALLAST_DB\)[\s\S]*server\.port: .*\(from BALLAST_PORT\)/,
    )
    expect(() => loadConfig({ env: {}, cwd })).toThrowError(
      /server\.prot: unknown setting \(from ballast\.yaml\)/,
    )
  })

  it('refuses a non-loopback host unless auth is on', () => {
    const cwd = tempDir()
    expect(() => loadConfig({ env: { BALLAST_HOST: '0.0.0.0' }, cwd })).toThrowError(
      /server\.host: 0\.0\.0\.0 is not a loopback address.*\(from BALLAST_HOST\)/,
    )
    const config = loadConfig({ env: { BALLAST_HOST: '0.0.0.0', BALLAST_AUTH: 'true' }, cwd })
    expect(config.server.host).toBe('0.0.0.0')
    expect(config.auth.enabled).toBe(true)
  })

  it('reports an unreadable or malformed config file by name', () => {
    const cwd = tempDir()
    writeFileSync(path.join(cwd, 'bad.yaml'), '- a\n- b\n')
    expect(() => loadConfig({ env: {}, cwd, configFile: 'bad.yaml' })).toThrowError(
      /invalid config file .*bad\.yaml/,
    )
    expect(() => loadConfig({ env: {}, cwd, configFile: 'missing.yaml' })).toThrowError(
      /cannot read config file .*missing\.yaml/,
    )
  })
})
