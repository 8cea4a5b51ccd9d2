import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readPeopleCsv, unclosedQuoteLine } from './import-csv.ts'

const required = ['source_system', 'source_id']
const bytes = (text: string) => new TextEncoder().encode(text)

describe('readPeopleCsv', () => {
  test('numbers each record by the line it starts on, across quoted line breaks and blank lines', () => {
    const read = readPeopleCsv(bytes('source_system,source_id,given_name\na,1,"Two\nlines"\n\na,2,Zoë\na,3,"say ""hi"""\n'), required)
    assert.ok(read.ok)
    assert.deepEqual(read.lines.map((l) => [l.line, l.record.given_name]), [[2, 'Two\nlines'], [5, 'Zoë'], [6, 'say "hi"']])
    const crlf = readPeopleCsv(bytes('source_system,source_id,given_name\r\na,1,"Two\r\nlines"\r\n\r\na,2,Zoë\r\na,3,x\r\n'), required)
    assert.ok(crlf.ok)
    assert.deepEqual(crlf.lines.map((l) => l.line), [2, 5, 6])
  })

  test('refuses bytes that are not UTF-8, at the line of the first bad byte', () => {
    const read = readPeopleCsv(Buffer.from('source_system,source_id\na,1\na,Ren\u00e9e\n', 'latin1'), required)
    assert.deepEqual(read, { ok: false, problems: [{ line: 3, problem: 'the file is not UTF-8 text (save it as "CSV UTF-8")' }] })
  })

  test('an unclosed quote is reported where it opens, not at the end of the file', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `a,${i}`)
    const read = readPeopleCsv(bytes(['source_system,source_id', ...rows.slice(0, 10), 'a,"open', ...rows.slice(10), ''].join('\n')), required)
    assert.deepEqual(read, { ok: false, problems: [{ line: 12, problem: 'a quote opens here and is never closed' }] })
    assert.equal(unclosedQuoteLine('a,"b""c"\n"d'), 2)
    assert.equal(unclosedQuoteLine('a,"b\nc"'), null)
  })

  test('rows with the wrong number of fields and a header without the required columns are file problems', () => {
    assert.deepEqual(readPeopleCsv(bytes('source_system,source_id,x\na,1\na,2,3\na,3,4,5\n'), required), {
      ok: false,
      problems: [{ line: 2, problem: 'expected 3 fields, found 2' }, { line: 4, problem: 'expected 3 fields, found 4' }],
    })
    assert.deepEqual(readPeopleCsv(bytes('source_system,id\na,1\n'), required), { ok: false, problems: [{ line: 1, problem: 'the header row lacks source_id' }] })
  })
})
