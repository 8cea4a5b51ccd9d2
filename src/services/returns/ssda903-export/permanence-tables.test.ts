/**
 * The 903's Reviews REVIEW_CODE, AD1, PlacedAdoption and PrevPerm rows from a child's permanence
 * records (permanence-records.ts): built by hand, so each table's year and code rules are seen alone.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AdoptionDecisionRow, PreviousPermanenceRow } from '../../care/permanence.ts'
import { ad1 } from './ad1.ts'
import { collectionYear, type ExportChild } from './model.ts'
import type { ExportPermanence } from './permanence-records.ts'
import { placedForAdoption } from './placed-for-adoption.ts'
import { previousPermanence } from './previous-permanence.ts'
import { reviews } from './reviews.ts'

const year = collectionYear(2026)

const decision = (fields: Partial<AdoptionDecisionRow>): AdoptionDecisionRow =>
  ({ decidedOn: '2025-06-02', ceasedOn: null, reasonCeased: null, matchedOn: null, adopterCount: null, adopterSex: null, adopterLegalStatus: null, adoptersFosterCarers: null, ...fields }) as AdoptionDecisionRow

const period = (fields: Partial<ExportPermanence>): ExportPermanence => ({
  periodId: 'p1', startedOn: '2025-05-01', endedOn: null, reasonCeased: null, participation: {}, adoptionDecisions: [], previousPermanence: null, ...fields,
})

const child = (permanence: ExportPermanence[], reviewDays: string[] = []): ExportChild =>
  ({ child: 'C1', dateOfBirth: '2020-02-10', reviews: reviewDays, permanence }) as unknown as ExportChild

test('REVIEW_CODE is the participation recorded; without one, the export falls back by age', () => {
  const rows = reviews(child([period({ participation: { '2025-05-28': 'PN3' } })], ['2025-05-28', '2025-08-20']), year)
  assert.deepEqual(rows.map((r) => r.REVIEW_CODE), ['PN3', 'PN7'])
})

test('AD1 only for a child adopted in the year, from the decision that stood; PlacedAdoption for decisions standing in the year', () => {
  const adopted = period({
    endedOn: '2026-02-27',
    reasonCeased: 'E11',
    adoptionDecisions: [
      decision({ decidedOn: '2024-09-01', ceasedOn: '2025-01-10', reasonCeased: 'RD1' }),
      decision({ decidedOn: '2025-06-02', matchedOn: '2025-10-01', adopterCount: 2, adopterSex: 'FF', adopterLegalStatus: 'L12', adoptersFosterCarers: true }),
    ],
  })
  assert.deepEqual(ad1(child([adopted]), year), [
    { CHILD: 'C1', DOB: '10/02/2020', DATE_INT: '02/06/2025', DATE_MATCH: '01/10/2025', FOSTER_CARE: '1', NB_ADOPTR: '2', SEX_ADOPTR: 'FF', LS_ADOPTR: 'L12' },
  ])
  assert.deepEqual(ad1(child([{ ...adopted, reasonCeased: 'E45' }]), year), [], 'an SGO is no adoption')
  assert.deepEqual(ad1(child([{ ...adopted, endedOn: '2026-04-02' }]), year), [], 'adopted after the year')
  // The decision reversed before the year is not in it.
  assert.deepEqual(placedForAdoption(child([adopted]), year).map((r) => [r.DATE_PLACED, r.DATE_PLACED_CEASED]), [['02/06/2025', '']])
  const reversed = period({ adoptionDecisions: [decision({ ceasedOn: '2026-01-15', reasonCeased: 'RD3' }), decision({ decidedOn: '2026-04-20' })] })
  assert.deepEqual(placedForAdoption(child([reversed]), year).map((r) => [r.DATE_PLACED, r.DATE_PLACED_CEASED, r.REASON_PLACED_CEASED]), [['02/06/2025', '15/01/2026', 'RD3']])
})

test('PrevPerm for each period starting in the year that has the answer', () => {
  const prev = (prevPerm: string, laPerm: string | null, datePerm: string | null) => ({ prevPerm, laPerm, datePerm }) as PreviousPermanenceRow
  const rows = previousPermanence(
    child([period({ startedOn: '2024-11-01', previousPermanence: prev('Z1', null, null) }), period({ startedOn: '2025-05-01', previousPermanence: prev('P2', '201', 'ZZ/03/2019') }), period({ startedOn: '2025-12-01' })]),
    year,
  )
  assert.deepEqual(rows, [{ CHILD: 'C1', DOB: '10/02/2020', PREV_PERM: 'P2', LA_PERM: '201', DATE_PERM: 'ZZ/03/2019' }])
})
