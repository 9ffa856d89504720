import { describe, expect, it } from 'vitest'
import onnxProto from 'onnx-proto'
import { ProtoWriter, WIRE_VARINT } from './proto-writer.js'

const { onnx } = onnxProto

// onnx-proto's protobufjs messages are the reference: the writer must produce their bytes.
const reference = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes)

const INT64_CASES = [
  0,
  1,
  127,
  128,
  16383,
  16384,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53 - 1,
  -1,
  -128,
  -(2 ** 31),
  -(2 ** 32),
  -(2 ** 53 - 1),
  1.5,
  -1.5,
  NaN,
]

describe('ProtoWriter', () => {
  it('writes int64 numbers as protobufjs does, negative and fractional ones included', () => {
    for (const version of INT64_CASES) {
      const w = new ProtoWriter(1)
      w.string(1, 'ai.onnx.ml')
      w.tag(2, WIRE_VARINT)
      w.int64(version)
      const expected = onnx.OperatorSetIdProto.encode({ domain: 'ai.onnx.ml', version }).finish()
      expect([version, w.finish()]).toEqual([version, reference(expected)])
    }
  })

  it('writes packed int64 and float arrays across the one-, two- and three-byte lengths', () => {
    for (const n of [1, 12, 13, 127, 128, 2047, 2048, 20_000]) {
      const ints = Array.from({ length: n }, (_, i) => INT64_CASES[i % INT64_CASES.length]!)
      const floats = Array.from({ length: n }, (_, i) => [0.1, -0, NaN, 1e-50, 3.5e38, -7][i % 6]!)
      const w = new ProtoWriter(8)
      w.packedInt64(1, [n])
      w.tag(2, WIRE_VARINT)
      w.int32(1)
      w.packedFloat(4, floats)
      w.packedInt64(7, ints)
      w.string(8, 'x')
      const expected = onnx.TensorProto.encode({
        dims: [n],
        dataType: 1,
        floatData: floats,
        int64Data: ints,
        name: 'x',
      }).finish()
      expect(w.finish()).toEqual(reference(expected))
    }
  })

  it('leaves out empty packed arrays, as protobufjs does', () => {
    const w = new ProtoWriter()
    w.packedInt64(1, [])
    w.packedFloat(4, new Float32Array(0))
    w.string(8, '')
    expect(w.finish()).toEqual(reference(onnx.TensorProto.encode({ name: '' }).finish()))
  })

  it('writes strings in the same UTF-8, short and long, with lone surrogates', () => {
    const cases = [
      '',
      'a'.repeat(39),
      'a'.repeat(40),
      'é'.repeat(39),
      'é'.repeat(64),
      '航空 ✈ 🛫',
      'x\ud800y',
      `${'z'.repeat(45)}\udc00`,
      '🛫'.repeat(30),
    ]
    for (const value of cases) {
      const w = new ProtoWriter(2)
      w.string(1, 'key')
      w.string(2, value)
      const expected = onnx.StringStringEntryProto.encode({ key: 'key', value }).finish()
      expect([value, w.finish()]).toEqual([value, reference(expected)])
    }
  })

  it('writes repeated strings as bytes, encoding each distinct one once', () => {
    const values = Array.from(
      { length: 300 },
      (_, i) => ['BRANCH_LEQ', 'LEAF', 'é'.repeat(i)][i % 3]!,
    )
    const w = new ProtoWriter()
    w.repeatedUtf8(6, values)
    const expected = onnx.TensorProto.encode({
      stringData: values.map((v) => new TextEncoder().encode(v)),
    }).finish()
    expect(w.finish()).toEqual(reference(expected))
  })

  it('nests length-delimited fields, moving the body when the length needs more bytes', () => {
    const w = new ProtoWriter(4)
    w.fork(7)
    w.fork(1)
    w.string(4, 'Identity')
    w.ldelim()
    w.string(2, 'g'.repeat(200))
    w.ldelim()
    const expected = onnx.ModelProto.encode({
      graph: { name: 'g'.repeat(200), node: [{ opType: 'Identity' }] },
    }).finish()
    expect(w.finish()).toEqual(reference(expected))
    expect(() => w.ldelim()).toThrow('ProtoWriter.ldelim() without fork()')
  })
})
