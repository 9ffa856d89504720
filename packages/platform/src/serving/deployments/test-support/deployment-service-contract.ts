import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestData, openTestData } from '../../../data/test-support/open-test-data.js'
import { listAudit, stateDigest } from '../../../governance/index.js'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import type { Deployment } from '../../serving-types.js'
import { DeploymentService } from '../deployment-service.js'
import { importVersions, versionWithoutOnnx } from './deployment-fixtures.js'

const T0 = 1_790_000_000_000

/** The deployment service's behaviour, run for every metadata store backend. */
export function runDeploymentServiceContract(options: { open: () => Promise<TestStore> }): void {
  let t: TestData
  let service: DeploymentService
  let clock = T0
  let noOnnx: number

  beforeAll(async () => {
    t = await openTestData({ open: options.open })
    service = new DeploymentService(t.store, t.services.registry, { now: () => clock })
    await importVersions(t.services, 'fraud', 3)
    noOnnx = await versionWithoutOnnx(t.services, 'fraud')
    await importVersions(t.services, 'churn', 1)
    await t.services.registry.aliases.set({ name: 'fraud', alias: 'champion', version: '2' })
  })
  afterAll(async () => {
    await t.dispose()
  })

  describe('create, get, list, delete', () => {
    it('creates a pinned deployment and records who made it', async () => {
      clock = T0 + 1
      const before = await service.revision()
      const d = await service.create({ name: 'fraud-pinned', model: 'fraud/1' }, 'alice')
      const revision = before + 1
      expect(d).toEqual<Deployment>({
        name: 'fraud-pinned',
        model: 'fraud',
        target: { kind: 'version', version: 1 },
        version: 1,
        previousVersion: null,
        canary: null,
        shadow: null,
        revision,
        createdBy: 'alice',
        createdAt: T0 + 1,
        updatedAt: T0 + 1,
      })
      expect(await service.get('fraud-pinned')).toEqual(d)
      expect(await service.revision()).toBe(revision)
      expect(
        await listAudit(t.store.db, { target: 'deployment:fraud-pinned', limit: 5 }),
      ).toMatchObject([
        {
          actor: 'alice',
          action: 'deployment.create',
          target: 'deployment:fraud-pinned',
          time: T0 + 1,
          beforeDigest: null,
          afterDigest: stateDigest(d),
          detail: { revision, reason: 'serves fraud/1 (version 1)' },
        },
      ])
      expect(await service.events('fraud-pinned')).toEqual([
        {
          id: expect.any(Number),
          deployment: 'fraud-pinned',
          time: T0 + 1,
          actor: 'alice',
          action: 'create',
          revision,
          before: null,
          after: d,
          detail: 'serves fraud/1 (version 1)',
        },
      ])
    })

    it('creates a deployment that follows an alias, at the version it points at', async () => {
      const d = await service.create({ name: 'fraud-live', model: 'fraud@champion' }, 'alice')
      expect(d).toMatchObject({ target: { kind: 'alias', alias: 'champion' }, version: 2 })
      expect((await service.list()).map((x) => [x.name, x.version])).toEqual([
        ['fraud-live', 2],
        ['fraud-pinned', 1],
      ])
    })

    it('refuses what cannot be served, naming why', async () => {
      const refused = (model: string, name = 'x') => service.create({ name, model }, 'alice')
      await expect(refused('nosuch/1')).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringMatching(/^Invalid value for parameter 'model': .*nosuch/),
      })
      await expect(refused('fraud/9')).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringMatching(/^Invalid value for parameter 'model': .*9/),
      })
      await expect(refused('fraud@nobody')).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining('@nobody'),
      })
      await expect(refused(`fraud/${noOnnx}`)).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message:
          `Invalid value for parameter 'model': model version fraud/${noOnnx} has no ONNX model ` +
          'package (an MLmodel with the onnx flavor); only ONNX models can be deployed',
      })
      await expect(refused('fraud')).rejects.toMatchObject({
        message: `Invalid value for parameter 'model': "fraud"; expected MODEL@ALIAS or MODEL/VERSION`,
      })
      await expect(refused('fraud/1', 'a:b')).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringMatching(/^Invalid value for parameter 'name': "a:b"/),
      })
      await expect(refused('fraud/2', 'fraud-pinned')).rejects.toMatchObject({
        code: 'RESOURCE_ALREADY_EXISTS',
        message: "Deployment 'fraud-pinned' already exists",
      })
      await expect(service.get('x')).rejects.toMatchObject({
        code: 'RESOURCE_DOES_NOT_EXIST',
        message: "Deployment 'x' not found",
      })
    })

    it('deletes a deployment, bumps the revision and keeps its history', async () => {
      await service.create({ name: 'short-lived', model: 'churn/1' }, 'bob')
      const revision = await service.revision()
      const deleted = await service.delete('short-lived', 'bob')
      expect(deleted.name).toBe('short-lived')
      expect(await service.revision()).toBe(revision + 1)
      await expect(service.get('short-lived')).rejects.toMatchObject({
        code: 'RESOURCE_DOES_NOT_EXIST',
      })
      const events = await service.events('short-lived')
      expect(events.map((e) => [e.action, e.actor, e.after === null])).toEqual([
        ['delete', 'bob', true],
        ['create', 'bob', false],
      ])
      expect(events[0]!.before).toEqual(deleted)
      await expect(service.delete('short-lived', 'bob')).rejects.toMatchObject({
        code: 'RESOURCE_DOES_NOT_EXIST',
      })
      await expect(service.events('never-was')).rejects.toMatchObject({
        code: 'RESOURCE_DOES_NOT_EXIST',
      })
    })
  })

  describe('canary, shadow, promote, rollback', () => {
    it('checks the canary percent and version', async () => {
      await service.create({ name: 'c', model: 'fraud/1' }, 'alice')
      for (const percent of [0, 100, -5, Number.NaN]) {
        await expect(service.canary('c', { version: 2, percent }, 'alice')).rejects.toMatchObject({
          code: 'INVALID_PARAMETER_VALUE',
          message: expect.stringMatching(/^Invalid value for parameter 'percent': /),
        })
      }
      await expect(service.canary('c', { version: 1, percent: 10 }, 'alice')).rejects.toMatchObject(
        {
          message:
            "Invalid value for parameter 'version': fraud/1 is already the primary version of " +
            "deployment 'c'",
        },
      )
      await expect(
        service.canary('c', { version: 'churn/1', percent: 10 }, 'alice'),
      ).rejects.toMatchObject({
        message:
          `Invalid value for parameter 'model': "churn/1" names model 'churn', but deployment ` +
          `'c' serves model 'fraud'`,
      })
      await expect(
        service.canary('c', { version: noOnnx, percent: 10 }, 'alice'),
      ).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' })
      await expect(
        service.canary('nope', { version: 2, percent: 10 }, 'alice'),
      ).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' })
    })

    it('promotes the canary, rolls back and forth, and refuses with nothing to do', async () => {
      await expect(service.promote('c', 'alice')).rejects.toMatchObject({
        code: 'CONFLICT',
        message: "Deployment 'c' has no canary to promote",
      })
      await expect(service.rollback('c', 'alice')).rejects.toMatchObject({
        code: 'CONFLICT',
        message: "Deployment 'c' has no previous version to roll back to",
      })
      const canary = await service.canary('c', { version: 'fraud/3', percent: 12.5 }, 'alice')
      expect(canary.canary).toEqual({ version: 3, percent: 12.5 })
      const shadowed = await service.shadow('c', { version: '3' }, 'alice')
      expect(shadowed.shadow).toEqual({ version: 3 })

      const promoted = await service.promote('c', 'carol')
      expect(promoted).toMatchObject({
        target: { kind: 'version', version: 3 },
        version: 3,
        previousVersion: 1,
        canary: null,
        // A shadow of the version now primary would only repeat it.
        shadow: null,
      })
      const back = await service.rollback('c', 'carol')
      expect([back.version, back.previousVersion, back.target]).toEqual([
        1,
        3,
        { kind: 'version', version: 1 },
      ])
      const again = await service.rollback('c', 'carol')
      expect([again.version, again.previousVersion]).toEqual([3, 1])
      expect((await service.events('c')).map((e) => e.action)).toEqual([
        'rollback',
        'rollback',
        'promote',
        'shadow',
        'canary',
        'create',
      ])
    })

    it('turns canary and shadow off; turning off what is off changes nothing', async () => {
      await service.canary('c', { version: 2, percent: 5 }, 'alice')
      await service.shadow('c', { version: 1 }, 'alice')
      const off = await service.canary('c', null, 'alice')
      expect(off.canary).toBeNull()
      const none = await service.shadow('c', null, 'alice')
      expect(none.shadow).toBeNull()
      const revision = await service.revision()
      expect(await service.shadow('c', null, 'alice')).toEqual(none)
      expect(await service.revision()).toBe(revision)
      expect((await service.events('c', { limit: 2 })).map((e) => e.action)).toEqual([
        'shadow-off',
        'canary-off',
      ])
    })
  })

  describe('followAliases', () => {
    it('serves the version the alias moved to; pinned deployments stay', async () => {
      clock = T0 + 100
      expect(await service.followAliases()).toEqual([])
      await t.services.registry.aliases.set({ name: 'fraud', alias: 'champion', version: '3' })
      const changed = await service.followAliases()
      expect(changed.map((d) => [d.name, d.version, d.previousVersion])).toEqual([
        ['fraud-live', 3, 2],
      ])
      const [event] = await service.events('fraud-live', { limit: 1 })
      expect(event).toMatchObject({
        actor: 'system:alias-follow',
        action: 'alias-follow',
        time: T0 + 100,
        detail: 'fraud@champion moved to version 3',
      })
      expect(await service.followAliases()).toEqual([])
      expect((await service.get('fraud-pinned')).version).toBe(1)
    })

    it('keeps a rollback until the alias moves again', async () => {
      const back = await service.rollback('fraud-live', 'alice')
      expect(back.version).toBe(2)
      expect(await service.followAliases()).toEqual([])
      await t.services.registry.aliases.set({ name: 'fraud', alias: 'champion', version: '1' })
      const [moved] = await service.followAliases()
      expect([moved?.version, moved?.previousVersion]).toEqual([1, 2])
    })

    it('does not serve a version without an ONNX package, and says so once', async () => {
      await t.services.registry.aliases.set({
        name: 'fraud',
        alias: 'champion',
        version: String(noOnnx),
      })
      expect(await service.followAliases()).toEqual([])
      expect((await service.get('fraud-live')).version).toBe(1)
      const [event] = await service.events('fraud-live', { limit: 1 })
      expect(event?.detail).toBe(
        `fraud@champion moved to version ${noOnnx}, which is not served: model version ` +
          `fraud/${noOnnx} has no ONNX model package (an MLmodel with the onnx flavor); only ` +
          'ONNX models can be deployed',
      )
      const revision = await service.revision()
      await service.followAliases()
      expect(await service.revision()).toBe(revision)
    })
  })

  it('concurrent changes get distinct revisions, in the order their events were written', async () => {
    const names = ['p0', 'p1', 'p2', 'p3']
    await Promise.all(names.map((name) => service.create({ name, model: 'fraud/1' }, 'race')))
    const start = await service.revision()
    const changes = names.flatMap((name) => [
      service.canary(name, { version: 2, percent: 10 }, 'race'),
      service.shadow(name, { version: 3 }, 'race'),
      service.canary(name, { version: 3, percent: 20 }, 'race'),
    ])
    const results = await Promise.all(changes)
    expect(await service.revision()).toBe(start + changes.length)
    const events = (await Promise.all(names.map((n) => service.events(n))))
      .flat()
      .filter((e) => e.revision > start)
      .sort((a, b) => a.id - b.id)
    expect(events.map((e) => e.revision)).toEqual(
      Array.from({ length: changes.length }, (_, i) => start + 1 + i),
    )
    // Each change read the state the one before it committed: nothing was lost.
    for (const name of names) {
      const d = await service.get(name)
      expect(d.shadow).toEqual({ version: 3 })
      expect(d.canary?.version).toBeGreaterThan(1)
    }
    expect(new Set(results.map((d) => d.revision)).size).toBe(changes.length)
  })
}
