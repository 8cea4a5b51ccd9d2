import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultModel } from '../../domain/person-index/model.ts'
import { standardise, type RawRecord } from '../../domain/person-index/standardise.ts'
import { rankCandidates, type HitRow } from './store.ts'

const model = defaultModel(1_000_000)
const row = (id: string, raw: RawRecord): HitRow => ({ id, person_id: `p-${id}`, source_system: 'gp', source_id: id, match_data: standardise(raw), restricted: false })
const twins = { familyName: 'Quibford', dateOfBirth: '2019-05-17', postcode: 'QA1 2BC' }
// Oliver's middle name is his twin brother's first name.
const rows = [row('oliver', { ...twins, givenName: 'Oliver', middleNames: 'George', sex: 'M' }), row('george', { ...twins, givenName: 'George', sex: 'M' })]
const rank = (q: RawRecord) => rankCandidates(model, standardise(q), rows).map((c) => [c.personId, c.best.band, c.best.hazards])

describe('twins in search results', () => {
  test('a first name that picks one twin out leaves that twin probable', () => {
    const [first, second] = rank({ ...twins, givenName: 'Oliver' })
    assert.deepEqual(first!.slice(0, 2), ['p-oliver', 'probable'])
    assert.notEqual(second![1], 'probable')
  })

  test('no first name, or one that fits both twins (a middle name), offers neither above possible', () => {
    for (const q of [{ ...twins }, { ...twins, givenName: 'George' }]) {
      const ranked = rank(q)
      assert.ok(ranked.every(([, band]) => band === 'possible' || band === 'unlikely'), JSON.stringify(ranked))
      assert.ok(ranked.some(([, , hazards]) => (hazards as string[]).includes('twin-not-ruled-out')))
    }
  })
})

describe('twins sharing a short form', () => {
  test('Oliver recorded as "Ollie" and his twin Olivia: a query for Olivia offers neither as probable', () => {
    const pair = [row('ollie', { ...twins, givenName: 'Ollie', sex: 'M' }), row('olivia', { ...twins, givenName: 'Olivia', sex: 'F' })]
    const ranked = rankCandidates(model, standardise({ ...twins, givenName: 'Olivia' }), pair)
    assert.ok(ranked.every((c) => c.best.band !== 'probable' && c.best.band !== 'certain'), JSON.stringify(ranked.map((c) => [c.personId, c.best.band])))
  })
})

describe('a twin recorded with an estimated date of birth', () => {
  test('Tunde, asked about with his full date of birth, and his sister Yetunde, known only with an estimated one: neither is offered as probable', () => {
    const family = { familyName: 'Asafgbola', postcode: 'QP12 5GU' }
    const pair = [
      row('tunde', { ...family, givenName: 'Tunde', dateOfBirth: '2014-12-01', sex: 'M' }),
      row('yetunde', { ...family, givenName: 'Yetunde', dateOfBirth: '2013-07-01', dobPrecision: 'estimated', sex: 'F' }),
    ]
    const ranked = rankCandidates(model, standardise({ ...family, givenName: 'Tunde', dateOfBirth: '2014-12-01', sex: 'M' }), pair)
    const sister = ranked.find((c) => c.personId === 'p-yetunde')!
    assert.ok(sister.best.band !== 'probable' && sister.best.band !== 'certain', sister.best.band)
    // Her date is near his, not his: she may be his twin, and "Tunde" fits "Yetunde" too, so a
    // person compares them; he still comes first.
    assert.equal(ranked[0]!.personId, 'p-tunde')
    assert.deepEqual([ranked[0]!.best.band, ranked[0]!.best.hazards], ['possible', ['twin-not-ruled-out']])
  })
})

describe('a twin recorded without a sex', () => {
  test('Georgia asked about with no sex; her twin George, one of whose records has no sex: he is not offered as probable', () => {
    const family = { familyName: 'Nabbthorpe', dateOfBirth: '2015-02-27', postcode: 'QP9 2SE' }
    const three = [
      row('georgia', { ...family, givenName: 'Georgia', middleNames: 'Olivia', sex: 'F' }),
      row('george', { ...family, givenName: 'George', sex: 'M' }),
      row('george-no-sex', { ...family, givenName: 'George' }),
    ]
    const ranked = rankCandidates(model, standardise({ ...family, givenName: 'Georgia' }), three)
    for (const id of ['p-george', 'p-george-no-sex']) {
      const brother = ranked.find((c) => c.personId === id)!
      assert.ok(brother.best.band !== 'probable' && brother.best.band !== 'certain', `${id}: ${brother.best.band}`)
    }
  })
})
