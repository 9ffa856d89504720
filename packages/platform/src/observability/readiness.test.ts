import { AppError } from '@ballast/contracts'
import { expect, it } from 'vitest'
import { checkReadiness } from './readiness.js'

it('is ready when the check resolves in time', async () => {
  expect(await checkReadiness(async () => {})).toEqual({ ready: true })
})

it('is not ready when the check takes longer than the deadline', async () => {
  const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 500))
  expect(await checkReadiness(slow, { timeoutMs: 20 })).toEqual({
    ready: false,
    reason: 'readiness check did not finish within 20 ms',
  })
})

it('shows AppError messages and hides other errors', async () => {
  const app = async () => {
    throw new AppError('TEMPORARILY_UNAVAILABLE', 'metadata store did not answer ping')
  }
  expect(await checkReadiness(app)).toEqual({
    ready: false,
    reason: 'metadata store did not answer ping',
  })
  const driver = async () => {
    throw new Error('password authentication failed for user "ballast"')
  }
  expect(await checkReadiness(driver)).toEqual({
    ready: false,
    reason: 'readiness check failed; see the server log',
  })
})
