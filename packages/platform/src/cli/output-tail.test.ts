import { describe, expect, it } from 'vitest'
import { OutputTail } from './output-tail.js'

describe('OutputTail', () => {
  it('keeps everything under the bound, unchanged', () => {
    const tail = new OutputTail(10)
    tail.push(Buffer.from('abc'))
    tail.push(Buffer.from('def\n'))
    expect(tail.contents().toString()).toBe('abcdef\n')
    expect(tail.dropped).toBe(0)
  })

  it('keeps the last bytes across chunk boundaries and says how many were dropped', () => {
    const tail = new OutputTail(5)
    tail.push(Buffer.from('abc'))
    tail.push(Buffer.from('defg'))
    tail.push(Buffer.from('h'))
    expect(tail.dropped).toBe(3)
    expect(tail.contents().toString()).toBe(
      '[ballast: output truncated; the first 3 bytes were dropped, the last 5 bytes follow]\ndefgh',
    )
  })

  it('keeps the end of a single chunk larger than the bound', () => {
    const tail = new OutputTail(4)
    tail.push(Buffer.from('xy'))
    tail.push(Buffer.from('0123456789'))
    expect(tail.dropped).toBe(8)
    expect(tail.contents().subarray(-4).toString()).toBe('6789')
  })
})
