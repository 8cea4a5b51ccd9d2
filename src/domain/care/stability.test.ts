import assert from 'node:assert/strict'
import { test } from 'node:test'
import { childStability } from './stability.ts'
import { ageError, legalStatusError, locationOf, normalisePostcode, placeTypeError, providerError } from './placement-rules.ts'

test('placements in the last 12 months count those open at any time in them, not temporary moves', () => {
  const s = childStability(
    [
      { placeType: 'U6', startedOn: '2025-01-01', endedOn: '2025-12-01' },
      { placeType: 'U6', startedOn: '2025-12-01', endedOn: '2026-03-01' },
      { placeType: 'T3', startedOn: '2026-04-01', endedOn: '2026-04-08' },
      { placeType: 'U4', startedOn: '2026-03-01', endedOn: null },
    ],
    '2025-01-01',
    '2015-06-01',
    '2026-06-01',
  )
  assert.deepEqual(s, { placementsIn12Months: 3, currentSince: '2026-03-01', currentDays: 92, threeOrMore: true, longTermUnstable: false })
  const ended = childStability([{ placeType: 'U6', startedOn: '2024-01-01', endedOn: '2025-06-01' }], '2024-01-01', null, '2026-06-01')
  assert.equal(ended.placementsIn12Months, 0)
  assert.equal(ended.currentSince, null)
})

test('in care 2½ years, under 16, under 2 years in the current placement is the long-term stability measure', () => {
  const placements = [
    { placeType: 'U6', startedOn: '2023-01-01', endedOn: '2025-01-01' },
    { placeType: 'U4', startedOn: '2025-01-01', endedOn: null },
  ]
  assert.equal(childStability(placements, '2023-01-01', '2015-01-01', '2026-01-01').longTermUnstable, true)
  assert.equal(childStability(placements, '2023-01-01', '2015-01-01', '2027-01-02').longTermUnstable, false, 'two years in the placement')
  assert.equal(childStability(placements, '2023-01-01', '2009-01-01', '2026-01-01').longTermUnstable, false, '16 or over')
  assert.equal(childStability(placements, '2024-01-01', '2015-01-01', '2026-01-01').longTermUnstable, false, 'in care under 2½ years')
})

test('placement rules: type valid for the year, provider for the type, ages, legal status', () => {
  assert.equal(placeTypeError('Z11', '2025-04-01'), null)
  assert.match(placeTypeError('Z11', '2025-03-31')!, /2024-25/)
  assert.match(placeTypeError('Z1', '2025-06-01')!, /not a placement type of the 903 for 2025-26/)
  assert.equal(placeTypeError('Z1', '2025-03-01'), null)
  assert.equal(providerError('T1', null), null)
  assert.match(providerError('T1', 'PR1')!, /no provider/)
  assert.match(providerError('U6', null)!, /Select/)
  assert.match(providerError('P1', 'PR1')!, /PR0/)
  assert.match(providerError('U4', 'PR0')!, /Only/)
  assert.match(providerError('R5', 'PR2')!, /not provided by a local authority/)
  assert.match(providerError('K2', 'PR3')!, /PR3/)
  assert.equal(providerError('U4', 'PR4'), null)
  assert.match(ageError('K3', '2026-01-01', '2010-01-02')!, /16/)
  assert.equal(ageError('K3', '2026-01-02', '2010-01-02'), null)
  assert.match(legalStatusError('A5', 'C2')!, /E1/)
  assert.match(legalStatusError('P1', 'V2')!, /section 20/)
})

test('postcodes: written as the lookup writes them; location and distance derived from it', () => {
  assert.equal(normalisePostcode(' zq12nt '), 'ZQ1 2NT')
  const lookup = new Map([
    ['ZQ12NT', { east: 447044, north: 297346, laua: 'E06000999', utla: 'E06000999' }],
    ['ZQ47RD', { east: 449167, north: 299267, laua: 'E06000999', utla: 'E06000999' }],
    ['ZW99SE', { east: 303647, north: 263264, laua: 'W06000999', utla: 'W06000999' }],
  ])
  assert.deepEqual(locationOf(lookup, 'E06000999', 'ZQ1 2NT', 'ZQ4 7RD'), { la: 'E06000999', location: 'IN', miles: 1.8 })
  assert.deepEqual(locationOf(lookup, 'E06000999', 'ZW9 9SE', null), { la: 'WAL', location: 'OUT', miles: null })
  assert.equal(locationOf(lookup, 'E06000999', 'AB1 2CD', null), null)
})
