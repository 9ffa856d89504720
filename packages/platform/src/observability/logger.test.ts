import { expect, it } from 'vitest'
import { createLogger } from './logger.js'

it('writes JSON lines at the level asked and masks credentials', () => {
  const lines: string[] = []
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  })
  logger.debug('hidden')
  logger.info(
    { headers: { authorization: 'Bearer blst_x' }, token: 'blst_y', user: { password: 'p' } },
    'hello',
  )
  expect(lines).toHaveLength(1)
  const entry = JSON.parse(lines[0]!)
  expect(entry).toMatchObject({
    level: 30,
    msg: 'hello',
    service: 'ballast',
    headers: { authorization: '[redacted]' },
    token: '[redacted]',
    user: { password: '[redacted]' },
  })
  expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT/)
  expect(lines[0]).not.toContain('blst_')
})
