import { describe, expect, it } from 'vitest'
import { parseFeedbackFile } from './feedback-file.js'

describe('parseFeedbackFile', () => {
  it('reads request_id and label from a CSV with quotes, CRLF, a BOM and other columns', () => {
    const csv = '\ufeffnote,label,request_id\r\n"a, b",yes,r-1\r\n"say ""hi""\nthere",0,r-2\n\n'
    expect(parseFeedbackFile(csv, 'labels.csv')).toEqual([
      { request_id: 'r-1', label: 'yes' },
      { request_id: 'r-2', label: '0' },
    ])
  })

  it('reads a JSON array, or {"feedback": [...]}, keeping numbers', () => {
    const items = [{ request_id: 'r-1', label: 1 }]
    expect(parseFeedbackFile(JSON.stringify(items), 'l.json')).toEqual(items)
    expect(parseFeedbackFile(JSON.stringify({ feedback: items }), 'l.JSON')).toEqual(items)
  })

  it.each([
    [
      'id,label\nr-1,yes\n',
      'l.csv',
      'l.csv: the header must name the columns request_id and label (found "id", "label")',
    ],
    ['request_id,label\n"r-1,yes\n', 'l.csv', 'l.csv line 3: a quoted field is not closed'],
    ['{"labels": []}', 'l.json', 'l.json: expected a JSON array of {"request_id", "label"}'],
    ['[{', 'l.json', 'l.json is not valid JSON'],
    ['x', 'l.parquet', 'l.parquet: expected a .csv or .json file'],
  ])('refuses %j in %s', (text, file, message) => {
    expect(() => parseFeedbackFile(text, file)).toThrow(message)
  })
})
