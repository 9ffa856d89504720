import { readFileSync, writeFileSync } from 'node:fs'
import { InvalidParameterError } from '@ballast/contracts'

const MAGIC = '\x93NUMPY'

/**
 * Writes equal-length float64 columns as one NumPy `.npy` file of shape (columns, rows), so that
 * `np.load(file)[k]` is column k, contiguous, and no transpose is needed on either side.
 */
export function writeNpyColumns(file: string, columns: readonly Float64Array[]): void {
  const rows = columns[0]?.length ?? 0
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${columns.length}, ${rows}), }`
  // Version 1.0: magic, 2 version bytes, 2 length bytes, then the header padded to 64 bytes.
  const unpadded = MAGIC.length + 4 + header.length + 1
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n'
  const prefix = Buffer.alloc(MAGIC.length + 4)
  prefix.write(MAGIC, 'latin1')
  prefix[6] = 1
  prefix[7] = 0
  prefix.writeUInt16LE(header.length, 8)
  const body = Buffer.alloc(columns.length * rows * 8)
  const view = new Float64Array(body.buffer, body.byteOffset, columns.length * rows)
  columns.forEach((column, k) => {
    if (column.length !== rows)
      throw new InvalidParameterError(`column ${k} has ${column.length} rows, expected ${rows}`)
    view.set(column, k * rows)
  })
  writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]))
}

/** Reads a file written by `writeNpyColumns` back as its columns. */
export function readNpyColumns(file: string): Float64Array[] {
  const bytes = readFileSync(file)
  if (bytes.toString('latin1', 0, MAGIC.length) !== MAGIC)
    throw new InvalidParameterError(`${file} is not a .npy file`)
  const headerLength = bytes.readUInt16LE(8)
  const header = bytes.toString('latin1', 10, 10 + headerLength)
  const shape = /'shape': \((\d+), (\d+)\)/.exec(header)
  if (!header.includes("'<f8'") || header.includes("'fortran_order': True") || !shape)
    throw new InvalidParameterError(`${file} does not hold a C-order float64 matrix`)
  const count = Number(shape[1])
  const rows = Number(shape[2])
  // Copy into an aligned buffer: the file's bytes may start at any offset of a pooled buffer.
  const data = new Float64Array(count * rows)
  new Uint8Array(data.buffer).set(
    bytes.subarray(10 + headerLength, 10 + headerLength + data.byteLength),
  )
  return Array.from({ length: count }, (_, k) => data.subarray(k * rows, (k + 1) * rows))
}
