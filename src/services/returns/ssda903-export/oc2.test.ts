/** OC2's offending and substance misuse items from the health and education records (pure). */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { DerivedEpisode } from '../../../domain/care/episodes.ts'
import { collectionYear, type ExportChild } from './model.ts'
import { oc2 } from './oc2.ts'

const year = collectionYear(2026)
const episode = { DECOM: '2024-01-01', RNE: 'S', LS: 'C2', DEC: '', REC: '' } as DerivedEpisode
const child = (dateOfBirth: string, kinds: [string, string][]) =>
  ({ child: 'C1', dateOfBirth, episodes: [episode], health: kinds.map(([kind, doneOn]) => ({ kind, doneOn, upToDate: null, sdqScore: null, sdqReason: null })) }) as unknown as ExportChild
const items = (c: ExportChild) => {
  const [row] = oc2(c, year)
  return [row!.CONVICTED, row!.SUBSTANCE_MISUSE, row!.INTERVENTION_RECEIVED, row!.INTERVENTION_OFFERED].join('|')
}

test('CONVICTED from a conviction or caution in the year, for a child of 10 or over at 31 March only', () => {
  assert.equal(items(child('2012-06-01', [['conviction', '2025-10-01']])), '1|0||')
  assert.equal(items(child('2012-06-01', [['conviction', '2025-03-01']])), '0|0||', 'before the year')
  assert.equal(items(child('2017-06-01', [['conviction', '2025-10-01']])), '|0||', 'under 10: blank (rule 542)')
})

test('substance misuse: intervention received (offered blank, rule 158), or offered and refused, or neither; none without a problem (rule 193)', () => {
  assert.equal(items(child('2012-06-01', [['substance-misuse', '2025-05-01'], ['substance-misuse-intervention', '2025-06-01'], ['substance-misuse-intervention-refused', '2025-05-10']])), '0|1|1|')
  assert.equal(items(child('2012-06-01', [['substance-misuse', '2025-05-01'], ['substance-misuse-intervention-refused', '2025-05-10']])), '0|1|0|1')
  assert.equal(items(child('2012-06-01', [['substance-misuse', '2025-05-01']])), '0|1|0|0')
  assert.equal(items(child('2012-06-01', [['substance-misuse-intervention', '2025-06-01']])), '0|0||')
})
