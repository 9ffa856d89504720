/**
 * A protobuf writer for the few message shapes an ONNX model needs, writing into one growing
 * buffer. Its bytes equal protobufjs's for the same message (the models Ballast wrote before keep
 * their hashes): the same varints, the same int64 conversion of JavaScript numbers, the same UTF-8
 * for strings.
 */

export const WIRE_VARINT = 0
export const WIRE_FIXED32 = 5
export const WIRE_BYTES = 2

const utf8 = new TextEncoder()

// protobufjs on Node writes strings of fewer than 40 UTF-16 code units with its own encoder (a
// lone surrogate becomes the three bytes of its code unit) and longer ones with Buffer (U+FFFD).
const SHORT_STRING = 40

function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5
}

export class ProtoWriter {
  private buf: Uint8Array
  private view: DataView
  private pos = 0
  private readonly starts: number[] = []

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity)
    this.view = new DataView(this.buf.buffer)
  }

  get length(): number {
    return this.pos
  }

  /** Unsigned 32-bit varint (the value is taken modulo 2^32, as protobufjs does). */
  uint32(value: number): void {
    this.ensure(5)
    this.varint32(value >>> 0)
  }

  /** int32: a negative value takes ten bytes, sign-extended to 64 bits. */
  int32(value: number): void {
    if (value < 0) this.int64(value)
    else this.uint32(value)
  }

  /** int64 of a JavaScript number: truncated toward zero, two's complement when negative. */
  int64(value: number): void {
    this.ensure(10)
    if (value >>> 0 === value) this.varint32(value)
    else this.varint64(value)
  }

  float(value: number): void {
    this.ensure(4)
    this.view.setFloat32(this.pos, value, true)
    this.pos += 4
  }

  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType)
  }

  string(field: number, value: string): void {
    this.tag(field, WIRE_BYTES)
    if (value.length < SHORT_STRING) {
      // At most 3 bytes per UTF-16 code unit: under 128 bytes, a one-byte length.
      this.ensure(1 + value.length * 3)
      const lengthAt = this.pos++
      this.writeShortUtf8(value)
      this.buf[lengthAt] = this.pos - lengthAt - 1
      return
    }
    const bytes = Buffer.byteLength(value)
    this.ensure(5 + bytes)
    this.varint32(bytes)
    this.pos += utf8.encodeInto(value, this.buf.subarray(this.pos)).written
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, WIRE_BYTES)
    this.ensure(5 + value.length)
    this.varint32(value.length)
    this.buf.set(value, this.pos)
    this.pos += value.length
  }

  /** Repeated bytes of UTF-8 strings; each distinct string is encoded once. */
  repeatedUtf8(field: number, values: readonly string[]): void {
    const encoded = new Map<string, Uint8Array>()
    for (const value of values) {
      let element = encoded.get(value)
      if (element === undefined) {
        const piece = new ProtoWriter(16 + value.length * 3)
        piece.bytes(field, utf8.encode(value))
        element = piece.finish()
        encoded.set(value, element)
      }
      this.ensure(element.length)
      if (element.length <= 16) {
        for (let i = 0; i < element.length; i++) this.buf[this.pos + i] = element[i]!
      } else {
        this.buf.set(element, this.pos)
      }
      this.pos += element.length
    }
  }

  /** Packed repeated int64 (omitted when empty, as protobufjs does). */
  packedInt64(field: number, values: ArrayLike<number>): void {
    const n = values.length
    if (n === 0) return
    this.fork(field)
    this.ensure(10 * n)
    for (let i = 0; i < n; i++) {
      const value = values[i]!
      if (value >>> 0 === value) this.varint32(value)
      else this.varint64(value)
    }
    this.ldelim()
  }

  /** Packed repeated float (omitted when empty). */
  packedFloat(field: number, values: ArrayLike<number>): void {
    const n = values.length
    if (n === 0) return
    this.tag(field, WIRE_BYTES)
    this.uint32(4 * n)
    this.ensure(4 * n)
    const view = this.view
    let pos = this.pos
    for (let i = 0; i < n; i++, pos += 4) view.setFloat32(pos, values[i]!, true)
    this.pos = pos
  }

  /** Starts a length-delimited field; ldelim() closes the innermost one. */
  fork(field: number): void {
    this.tag(field, WIRE_BYTES)
    this.ensure(1)
    this.starts.push(this.pos++)
  }

  ldelim(): void {
    const start = this.starts.pop()
    if (start === undefined) throw new Error('ProtoWriter.ldelim() without fork()')
    const length = this.pos - start - 1
    const size = varintSize(length)
    // One byte was reserved for the length; a longer varint moves the body along.
    if (size > 1) {
      this.ensure(size - 1)
      this.buf.copyWithin(start + size, start + 1, this.pos)
      this.pos += size - 1
    }
    const end = this.pos
    this.pos = start
    this.varint32(length)
    this.pos = end
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos)
  }

  private ensure(extra: number): void {
    const needed = this.pos + extra
    if (needed <= this.buf.length) return
    const grown = new Uint8Array(Math.max(needed, this.buf.length * 2))
    grown.set(this.buf.subarray(0, this.pos))
    this.buf = grown
    this.view = new DataView(grown.buffer)
  }

  private varint32(value: number): void {
    const buf = this.buf
    let pos = this.pos
    while (value > 127) {
      buf[pos++] = (value & 127) | 128
      value >>>= 7
    }
    buf[pos++] = value
    this.pos = pos
  }

  // protobufjs's LongBits.fromNumber, then its 64-bit varint.
  private varint64(value: number): void {
    const negative = value < 0
    if (negative) value = -value
    let lo = value >>> 0
    let hi = ((value - lo) / 4294967296) >>> 0
    if (negative) {
      hi = ~hi >>> 0
      lo = ~lo >>> 0
      if (++lo > 4294967295) {
        lo = 0
        if (++hi > 4294967295) hi = 0
      }
    }
    const buf = this.buf
    let pos = this.pos
    while (hi) {
      buf[pos++] = (lo & 127) | 128
      lo = ((lo >>> 7) | (hi << 25)) >>> 0
      hi >>>= 7
    }
    while (lo > 127) {
      buf[pos++] = (lo & 127) | 128
      lo >>>= 7
    }
    buf[pos++] = lo
    this.pos = pos
  }

  private writeShortUtf8(value: string): void {
    const buf = this.buf
    let pos = this.pos
    for (let i = 0; i < value.length; i++) {
      let c1 = value.charCodeAt(i)
      let c2: number
      if (c1 < 128) {
        buf[pos++] = c1
      } else if (c1 < 2048) {
        buf[pos++] = (c1 >> 6) | 192
        buf[pos++] = (c1 & 63) | 128
      } else if ((c1 & 0xfc00) === 0xd800 && ((c2 = value.charCodeAt(i + 1)) & 0xfc00) === 0xdc00) {
        c1 = 0x10000 + ((c1 & 0x03ff) << 10) + (c2 & 0x03ff)
        i++
        buf[pos++] = (c1 >> 18) | 240
        buf[pos++] = ((c1 >> 12) & 63) | 128
        buf[pos++] = ((c1 >> 6) & 63) | 128
        buf[pos++] = (c1 & 63) | 128
      } else {
        buf[pos++] = (c1 >> 12) | 224
        buf[pos++] = ((c1 >> 6) & 63) | 128
        buf[pos++] = (c1 & 63) | 128
      }
    }
    this.pos = pos
  }
}
