/** Named 903 files as one set: each file by its name wherever it came from, each table once, at least one. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Ssda903FileError } from './csv.ts'
import { readNamedFiles, tableOfFile } from './files.ts'

const refused = (pattern: RegExp) => (err: Error) => err instanceof Ssda903FileError && pattern.test(err.message)

test('a file is its table by its name, in any folder; unknown names, a table twice and no files are refused by name', () => {
  assert.equal(tableOfFile('this_year/Placed_For_Adoption.csv'), 'PlacedAdoption')
  assert.equal(tableOfFile('C:\\903\\header.csv'), 'Header')
  assert.equal(tableOfFile('header.xlsx'), undefined)
  const set = readNamedFiles([{ name: 'a.zip/header.csv', content: 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nC1,1,01/01/2010,WBRI,UN1,,\r\n' }], 'files')
  assert.deepEqual([...set.present], ['Header'])
  assert.equal(set.tables.Header.rows, 1)
  assert.throws(() => readNamedFiles([{ name: 'notes.txt', content: '' }], 'files'), refused(/^notes\.txt: not one of the 903 files \(header\.csv, episodes\.csv/))
  assert.throws(
    () => readNamedFiles([{ name: 'x/uasc.csv', content: '' }, { name: 'y/UASC.csv', content: '' }], 'files'),
    refused(/^y\/UASC\.csv: uasc\.csv is given twice \(also x\/uasc\.csv\)$/),
  )
  assert.throws(() => readNamedFiles([], 'Last year’s files'), refused(/^Last year’s files: none of the 903 files/))
})
