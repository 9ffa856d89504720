/**
 * The offset of the first syntax error in JSON text, or -1 when it is valid. V8 names the position
 * for some errors only (`Unexpected token ']', "…" is not valid JSON` has none), and people need
 * the line and column of their mistake in a hand-edited file.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0
  const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null/y
  const fail = (): never => {
    throw new JsonSyntaxAt(i)
  }
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
  }
  const string = () => {
    i++
    while (i < text.length) {
      const c = text[i]!
      if (c === '"') {
        i++
        return
      }
      if (c < ' ') fail()
      i += c === '\\' ? 2 : 1
    }
    fail()
  }
  const sequence = (close: string, item: () => void) => {
    i++
    space()
    if (text[i] === close) {
      i++
      return
    }
    for (;;) {
      item()
      space()
      if (text[i] === close) {
        i++
        return
      }
      if (text[i] !== ',') fail()
      i++
    }
  }
  const value = (): void => {
    space()
    const c = text[i]
    if (c === '{') {
      sequence('}', () => {
        space()
        if (text[i] !== '"') fail()
        string()
        space()
        if (text[i] !== ':') fail()
        i++
        value()
      })
    } else if (c === '[') {
      sequence(']', value)
    } else if (c === '"') {
      string()
    } else {
      NUMBER.lastIndex = i
      const match = NUMBER.exec(text)
      if (match === null) fail()
      i += match![0].length
    }
  }
  try {
    value()
    space()
    if (i < text.length) fail()
    return -1
  } catch (error) {
    if (error instanceof JsonSyntaxAt) return Math.min(error.offset, text.length)
    throw error
  }
}

class JsonSyntaxAt extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at offset ${offset}`)
  }
}
