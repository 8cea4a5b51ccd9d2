import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'csv-parse/sync'
import { ANNEX_A_LISTS } from '../../domain/returns/annex-a/lists.ts'
import { scorecardCsv } from '../partnership/scorecard/csv.ts'
import type { Scorecard } from '../partnership/scorecard/scorecard.ts'
import { annexACsvFiles } from '../returns/annex-a.ts'
import { csvCell, csvText } from './csv.ts'

const FORMULAS = ['=HYPERLINK("http://example.invalid","x")', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1']

test('a text cell that a spreadsheet would run as a formula gets a leading quote; numbers stay numbers', () => {
  for (const f of FORMULAS) assert.equal(csvCell(f), `'${f}`)
  assert.equal(csvCell('Ivy = Quartermaine'), 'Ivy = Quartermaine', 'only the first character matters')
  assert.equal(csvCell(-3), '-3', 'a computed negative number is a number')
  assert.equal(csvCell('-3'), "'-3", 'text that looks like one is text')
  assert.equal(csvCell(null), '')
  const text = csvText([['name', 'note'], ['a,b', 'say "hi"\nthen go'], [FORMULAS[0]!, 2]])
  assert.deepEqual(parse(text), [['name', 'note'], ['a,b', 'say "hi"\nthen go'], [`'${FORMULAS[0]}`, '2']])
  assert.ok(text.endsWith('\r\n') && text.startsWith('name,note\r\n'))
})

test('Annex A and the scorecard write their CSV through it', () => {
  const list = ANNEX_A_LISTS[0]!
  const row = list.columns.map(([, kind], i) => (kind === 'date' ? '2024-12-15' : i === 0 ? FORMULAS[0]! : '+44 20 7946 0000'))
  const [file] = annexACsvFiles([{ list, rows: [row] }])
  const [, written] = parse(file!.text) as string[][]
  assert.equal(written![0], `'${FORMULAS[0]}`)
  assert.ok(written!.every((cell) => !/^[=+\-@\t\r]/.test(cell)))
  assert.ok(written!.includes('15/12/2024'), 'dates as dd/mm/yyyy')

  const rate = { count: 1, of: 2, percent: 50 }
  const scorecard = {
    contactsBySource: [{ agency: '=cmd|" /C calc"!A0', contacts: 3, referrals: -1 }],
    decisionsWithin1: rate, conversionToAssessment: rate, reviewConferencesOnTime: rate,
    system: { referrals: 1, rereferrals: rate, assessmentsWithin45: rate, icpcsWithin15: rate, repeatPlans: rate, plansByCategory: [], plansByDuration: [] },
    informationRequests: [], actions: [{ agency: '@Police', open: 1, overdue: 0 }], section11: { byAgency: [], total: {} },
    lateByReason: { from: '2026-04-01', to: '2027-03-31', reasons: [{ reason: 'other', label: '-Other', count: 2 }], total: 2 },
    placementStability: { inCare: 2, threeOrMore: rate, longTermStable: rate },
    careLeavers: { aged19to21: 2, suitableAccommodation: rate, inEducationEmploymentTraining: rate },
  } as unknown as Scorecard
  const rows = parse(scorecardCsv(scorecard)) as string[][]
  assert.deepEqual(rows[1], ['Front door', 'Contacts', `'=cmd|" /C calc"!A0`, '3', '', ''])
  assert.deepEqual(rows[2], ['Front door', 'Referrals', `'=cmd|" /C calc"!A0`, '-1', '', ''], 'a figure keeps its sign')
  assert.ok(rows.some((r) => r[2] === "'@Police"))
  assert.ok(rows.some((r) => r.join('|') === ['Timescales completed late', 'By reason for delay', "'-Other", '2', '', ''].join('|')))
  assert.deepEqual(rows.at(-1), ['Children in care and care leavers', 'Care leavers aged 19 to 21 in education, employment or training', '', '1', '2', '50'])
})
