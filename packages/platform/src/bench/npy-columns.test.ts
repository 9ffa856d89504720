import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readNpyColumns, writeNpyColumns } from './npy-columns.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempFile(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-npy-'))
  dirs.push(dir)
  return path.join(dir, name)
}

const numpy = (script: string, file: string): string =>
  execFileSync('python3', ['-c', `import sys, numpy as np\n${script}`, file], { encoding: 'utf8' })

describe('.npy columns', () => {
  it('writes a (columns, rows) float64 matrix that numpy loads row k = column k', () => {
    const file = tempFile('m.npy')
    writeNpyColumns(file, [Float64Array.of(1.5, -2, 1e-300), Float64Array.of(0.1, 7, -0)])
    const out = numpy(
      'a = np.load(sys.argv[1]); print(a.dtype, a.shape, repr(a[0].tolist()), repr(a[1].tolist()))',
      file,
    )
    expect(out.trim()).toBe('float64 (2, 3) [1.5, -2.0, 1e-300] [0.1, 7.0, -0.0]')
  })

  it('reads back what numpy saves', () => {
    const file = tempFile('n.npy')
    numpy('np.save(sys.argv[1], np.array([[0.25, 3.0], [-1.0, 1e10], [5.5, 0.1]]))', file)
    const columns = readNpyColumns(file)
    expect(columns.map((c) => Array.from(c))).toEqual([
      [0.25, 3],
      [-1, 1e10],
      [5.5, 0.1],
    ])
  })

  it('rejects columns of different lengths, naming the column', () => {
    expect(() =>
      writeNpyColumns(tempFile('x.npy'), [Float64Array.of(1, 2), Float64Array.of(1)]),
    ).toThrow('column 1 has 1 rows, expected 2')
  })
})
