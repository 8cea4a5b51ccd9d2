import { test } from 'node:test'
import assert from 'node:assert/strict'
import { censusYearOf, currentCensusYear } from './census-year.ts'

test('a census year runs from 1 April to 31 March and is named by the year it ends in', () => {
  assert.equal(censusYearOf('2026-12-06'), 2027)
  assert.equal(censusYearOf('2026-04-01'), 2027)
  assert.equal(censusYearOf('2026-03-31'), 2026)
  assert.equal(censusYearOf('2026-01-01'), 2026)
  assert.deepEqual(currentCensusYear('2026-12-06'), { year: 2027, label: '2026 to 2027', from: '2026-04-01', to: '2027-03-31', rules: 'draft' })
  assert.equal(currentCensusYear('2025-05-01').rules, 'final')
  assert.equal(currentCensusYear('2028-05-01').rules, 'none')
})
