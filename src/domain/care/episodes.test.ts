import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { deriveEpisodes, episodeCsvRow, episodesInYear, type PeriodEvents, type PlacementEvent } from './episodes.ts'

let n = 0
function placement(fields: Partial<PlacementEvent> & Pick<PlacementEvent, 'placeType' | 'startedOn'>): PlacementEvent {
  return { id: `p${++n}`, provider: 'PR1', carerId: null, postcode: 'ZQ1 2NT', urn: null, endedOn: null, endReason: null, interruptsId: null, ...fields }
}

const period = (fields: Partial<PeriodEvents>): PeriodEvents => ({
  startedOn: '2025-05-12',
  endedOn: null,
  reasonCeased: null,
  categoryOfNeed: 'N1',
  uasc: false,
  homePostcode: 'ZQ4 7RD',
  legalStatuses: [],
  placements: [],
  ...fields,
})

/** The columns of the worked example in shared/docs/children-in-care.md §1.4. */
const columns = (e: ReturnType<typeof deriveEpisodes>[number]) =>
  [e.DECOM, e.RNE, e.LS, e.PLACE, e.PLACE_PROVIDER || '-', e.DEC || '(open)', e.REC, e.REASON_PLACE_CHANGE].join(' ').trim()

describe('903 episodes derived from a period of care', () => {
  test('HOME_POST is the home postcode in force when each episode starts; a new home postcode starts no episode; none for a UASC', () => {
    const first = placement({ placeType: 'U6', carerId: 'a', startedOn: '2025-05-12', endedOn: '2025-09-01', endReason: 'CARPL' })
    const second = placement({ placeType: 'U4', carerId: 'b', startedOn: '2025-09-01', postcode: 'ZQ8 6ED' })
    const homePostcodes = [{ postcode: 'ZQ3 6HS', fromOn: '2025-07-01' }, { postcode: 'ZQ1 1QH', fromOn: '2025-09-01' }]
    const events = period({ legalStatuses: [{ legalStatus: 'C2', fromOn: '2025-05-12' }], placements: [first, second], homePostcodes })
    assert.deepEqual(deriveEpisodes(events).map((e) => [e.DECOM, e.HOME_POST]), [['2025-05-12', 'ZQ4 7RD'], ['2025-09-01', 'ZQ1 1QH']])
    assert.deepEqual(deriveEpisodes({ ...events, homePostcodes: [homePostcodes[0]!] }).map((e) => e.HOME_POST), ['ZQ4 7RD', 'ZQ3 6HS'])
    assert.deepEqual(deriveEpisodes({ ...events, uasc: true }).map((e) => e.HOME_POST), ['', ''])
  })

  test('the worked example of §1.4 comes out exactly', () => {
    const emergency = placement({ placeType: 'U6', provider: 'PR1', carerId: 'emergency', startedOn: '2025-05-12', endedOn: '2025-11-03', endReason: 'CARPL', urn: 'SC000001' })
    const longTerm = placement({ placeType: 'U4', provider: 'PR4', carerId: 'ifa', startedOn: '2025-11-03', postcode: 'ZQ8 6ED', urn: 'SC000002' })
    const holiday = placement({ placeType: 'T3', provider: null, carerId: 'respite', startedOn: '2025-11-20', endedOn: '2025-11-30', interruptsId: longTerm.id, postcode: 'ZQ5 5BL' })
    const episodes = deriveEpisodes(
      period({
        legalStatuses: [
          { legalStatus: 'C1', fromOn: '2025-05-16' },
          { legalStatus: 'L2', fromOn: '2025-05-12' },
        ],
        placements: [holiday, longTerm, emergency],
      }),
    )
    assert.deepEqual(episodes.map(columns), [
      '2025-05-12 S L2 U6 PR1 2025-05-16 X1',
      '2025-05-16 L C1 U6 PR1 2025-11-03 X1 CARPL',
      '2025-11-03 P C1 U4 PR4 2025-11-20 X1',
      '2025-11-20 P C1 T3 - 2025-11-30 X1',
      '2025-11-30 P C1 U4 PR4 (open)',
    ])
    assert.deepEqual(episodes.map((e) => e.placementId), [emergency.id, emergency.id, longTerm.id, holiday.id, longTerm.id])
    assert.deepEqual(episodes.map((e) => e.URN), ['SC000001', 'SC000001', 'SC000002', '', 'SC000002'])
    assert.ok(episodes.every((e) => e.CIN === 'N1' && e.HOME_POST === 'ZQ4 7RD'))
    assert.deepEqual(episodeCsvRow(episodes[0]!), {
      DECOM: '12/05/2025', RNE: 'S', LS: 'L2', CIN: 'N1', PLACE: 'U6', PLACE_PROVIDER: 'PR1', DEC: '16/05/2025', REC: 'X1',
      REASON_PLACE_CHANGE: '', HOME_POST: 'ZQ4 7RD', PL_POST: 'ZQ1 2NT', URN: 'SC000001',
    })
  })

  test('same carer: T for a placement change alone, U with a legal status change; B with a new carer', () => {
    const ffa = placement({ placeType: 'U5', provider: 'PR1', carerId: 'adopters', startedOn: '2025-06-01', endedOn: '2025-09-01', endReason: 'PLACE', urn: 'SC1' })
    const placed = placement({ placeType: 'A5', provider: 'PR1', carerId: 'adopters', startedOn: '2025-09-01', urn: 'SC1' })
    const u = deriveEpisodes(
      period({
        startedOn: '2025-06-01',
        legalStatuses: [{ legalStatus: 'C1', fromOn: '2025-06-01' }, { legalStatus: 'E1', fromOn: '2025-09-01' }],
        placements: [ffa, placed],
      }),
    )
    assert.deepEqual(u.map((e) => `${e.RNE} ${e.LS} ${e.PLACE} ${e.REASON_PLACE_CHANGE}`.trim()), ['S C1 U5 PLACE', 'U E1 A5'])

    const longTerm = { ...placed, id: 'lt', placeType: 'U4' }
    const t = deriveEpisodes(period({ startedOn: '2025-06-01', legalStatuses: [{ legalStatus: 'C2', fromOn: '2025-06-01' }], placements: [ffa, longTerm] }))
    assert.deepEqual(t.map((e) => e.RNE), ['S', 'T'])

    const other = { ...placed, id: 'other', carerId: 'someone-else', placeType: 'A6', postcode: 'ZQ9 9ZZ' }
    const b = deriveEpisodes(
      period({ startedOn: '2025-06-01', legalStatuses: [{ legalStatus: 'C1', fromOn: '2025-06-01' }, { legalStatus: 'E1', fromOn: '2025-09-01' }], placements: [ffa, other] }),
    )
    assert.deepEqual(b.map((e) => e.RNE), ['S', 'B'])
  })

  test('the last episode ends with the reason ceased; an open period leaves DEC and REC blank', () => {
    const home = placement({ placeType: 'U6', startedOn: '2025-06-01', endedOn: '2026-01-10' })
    const [ended] = deriveEpisodes(period({ startedOn: '2025-06-01', endedOn: '2026-01-10', reasonCeased: 'E4A', legalStatuses: [{ legalStatus: 'V2', fromOn: '2025-06-01' }], placements: [home] }))
    assert.equal(ended!.DEC, '2026-01-10')
    assert.equal(ended!.REC, 'E4A')
    assert.equal(ended!.REASON_PLACE_CHANGE, '', 'no reason for the placement change when care ends')
    const [open] = deriveEpisodes(period({ startedOn: '2025-06-01', legalStatuses: [{ legalStatus: 'V2', fromOn: '2025-06-01' }], placements: [{ ...home, endedOn: null }] }))
    assert.equal(open!.DEC, '')
    assert.equal(open!.REC, '')
  })

  test('UASC have no home postcode; temporary and Z placements no provider; exempt types no URN; unknown URN XXXXXXX', () => {
    const hospital = placement({ placeType: 'R2', provider: 'PR3', startedOn: '2025-06-01', endedOn: '2025-07-01', endReason: 'CARPL', urn: 'SC9' })
    const home = placement({ placeType: 'K2', provider: 'PR4', startedOn: '2025-07-01', endedOn: '2025-08-01', endReason: 'CARPL' })
    const other = placement({ placeType: 'Z12', provider: 'PR4', startedOn: '2025-08-01' })
    const episodes = deriveEpisodes(period({ startedOn: '2025-06-01', uasc: true, legalStatuses: [{ legalStatus: 'V2', fromOn: '2025-06-01' }], placements: [hospital, home, other] }))
    assert.deepEqual(episodes.map((e) => [e.HOME_POST, e.PLACE_PROVIDER, e.URN]), [['', 'PR3', ''], ['', 'PR4', 'XXXXXXX'], ['', '', '']])
  })

  test('a legal status change on the day a placement changes is one new episode (B), not two', () => {
    const first = placement({ placeType: 'U6', startedOn: '2025-06-01', endedOn: '2025-07-01', endReason: 'ALLEG', carerId: 'a' })
    const second = placement({ placeType: 'K2', provider: 'PR4', startedOn: '2025-07-01', carerId: 'b', postcode: 'ZQ3 1AA' })
    const episodes = deriveEpisodes(
      period({ startedOn: '2025-06-01', legalStatuses: [{ legalStatus: 'V2', fromOn: '2025-06-01' }, { legalStatus: 'C2', fromOn: '2025-07-01' }], placements: [first, second] }),
    )
    assert.deepEqual(episodes.map(columns), ['2025-06-01 S V2 U6 PR1 2025-07-01 X1 ALLEG', '2025-07-01 B C2 K2 PR4 (open)'])
  })

  test('a temporary move that has not ended is the open episode; a placement record identical to the last adds no episode', () => {
    const usual = placement({ placeType: 'U6', startedOn: '2025-06-01', carerId: 'a' })
    const away = placement({ placeType: 'T1', provider: null, startedOn: '2025-07-01', interruptsId: usual.id, postcode: 'ZQ2 2AA' })
    const episodes = deriveEpisodes(period({ startedOn: '2025-06-01', legalStatuses: [{ legalStatus: 'C2', fromOn: '2025-06-01' }], placements: [usual, away] }))
    assert.deepEqual(episodes.map(columns), ['2025-06-01 S C2 U6 PR1 2025-07-01 X1', '2025-07-01 P C2 T1 - (open)'])

    const again = { ...usual, id: 'again', startedOn: '2025-08-01' }
    const same = deriveEpisodes(
      period({ startedOn: '2025-06-01', legalStatuses: [{ legalStatus: 'C2', fromOn: '2025-06-01' }], placements: [{ ...usual, endedOn: '2025-08-01', endReason: 'OTHER' }, again] }),
    )
    assert.equal(same.length, 1)
  })

  test('a period recorded before placements were: legal status episodes with blank placement fields', () => {
    const episodes = deriveEpisodes(period({ categoryOfNeed: null, homePostcode: null, legalStatuses: [{ legalStatus: 'C1', fromOn: '2025-05-12' }, { legalStatus: 'C2', fromOn: '2025-10-01' }] }))
    assert.deepEqual(episodes.map((e) => `${e.RNE} ${e.LS} ${e.PLACE || '-'} ${e.CIN || '-'}`), ['S C1 - -', 'L C2 - -'])
  })

  test('episodesInYear keeps what was open at any time from 1 April to 31 March', () => {
    const e = (DECOM: string, DEC: string) => ({ DECOM, DEC }) as ReturnType<typeof deriveEpisodes>[number]
    const list = [e('2024-01-01', '2025-03-31'), e('2025-03-01', '2025-04-01'), e('2026-03-31', ''), e('2026-04-01', '')]
    assert.deepEqual(episodesInYear(list, 2026).map((x) => x.DECOM), ['2025-03-01', '2026-03-31'])
  })

  test('episodesInYear gives an episode that ceased after 31 March as open, as it stood then', () => {
    const e = { DECOM: '2026-01-10', DEC: '2026-04-30', REC: 'X1', REASON_PLACE_CHANGE: 'CARPL' } as ReturnType<typeof deriveEpisodes>[number]
    assert.deepEqual(episodesInYear([e], 2026).map((x) => [x.DEC, x.REC, x.REASON_PLACE_CHANGE]), [['', '', '']])
    assert.deepEqual(episodesInYear([e], 2027).map((x) => [x.DEC, x.REC, x.REASON_PLACE_CHANGE]), [['2026-04-30', 'X1', 'CARPL']])
  })
})
