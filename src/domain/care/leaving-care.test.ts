import assert from 'node:assert/strict'
import { test } from 'node:test'
import { careLeaverCategoryOnLeaving, daysLookedAfterSince } from './leaving-care.ts'

const born = '2008-06-10'
const leaving = (periods: { startedOn: string; endedOn: string | null }[], endedOn: string, reasonCeased: string, dateOfBirth: string | null = born) =>
  careLeaverCategoryOnLeaving({ dateOfBirth, periods, endedOn, reasonCeased })

test('13 weeks looked after since 14 with care after 16: relevant before 18, former relevant from 18', () => {
  assert.equal(leaving([{ startedOn: '2023-01-01', endedOn: '2026-06-10' }], '2026-06-10', 'E17'), 'former-relevant')
  assert.equal(leaving([{ startedOn: '2023-01-01', endedOn: '2025-09-01' }], '2025-09-01', 'E5'), 'relevant')
  // Exactly 91 days since the 14th birthday, spread over two periods, is enough; 90 is not.
  const twoPeriods = [
    { startedOn: '2022-06-10', endedOn: '2022-08-10' }, // 61 days from the 14th birthday
    { startedOn: '2024-06-01', endedOn: '2024-07-01' }, // 30 days, over the 16th birthday
  ]
  assert.equal(daysLookedAfterSince(twoPeriods, '2022-06-10', '2024-07-01'), 91)
  assert.equal(leaving(twoPeriods, '2024-07-01', 'E8'), 'relevant')
  assert.equal(leaving([twoPeriods[0]!, { startedOn: '2024-06-02', endedOn: '2024-07-01' }], '2024-07-01', 'E8'), null)
  // Care before the 14th birthday does not count.
  assert.equal(leaving([{ startedOn: '2020-01-01', endedOn: '2024-07-01' }], '2024-07-01', 'E8'), 'relevant')
  assert.equal(leaving([{ startedOn: '2020-01-01', endedOn: '2022-07-01' }, { startedOn: '2024-06-01', endedOn: '2024-07-01' }], '2024-07-01', 'E8'), null)
})

test('not a care leaver: no care after 16, adopted, died, another authority, home or an order before 18, no date of birth', () => {
  assert.equal(leaving([{ startedOn: '2022-01-01', endedOn: '2024-06-10' }], '2024-06-10', 'E8'), null, 'left on the 16th birthday')
  for (const reason of ['E11', 'E12', 'E2', 'E3']) assert.equal(leaving([{ startedOn: '2023-01-01', endedOn: '2026-06-10' }], '2026-06-10', reason), null, reason)
  for (const reason of ['E4A', 'E4B', 'E13', 'E41', 'E45', 'E48']) {
    assert.equal(leaving([{ startedOn: '2023-01-01', endedOn: '2025-09-01' }], '2025-09-01', reason), null, reason)
  }
  assert.equal(leaving([{ startedOn: '2023-01-01', endedOn: '2026-06-10' }], '2026-06-10', 'E4A'), 'former-relevant', 'home at 18')
  assert.equal(leaving([{ startedOn: '2023-01-01', endedOn: '2026-06-10' }], '2026-06-10', 'E17', null), null)
})
