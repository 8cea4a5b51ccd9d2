import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { queryKeys, recordKeys } from './blocking.ts'
import { estimateM, estimateU, termFrequencies } from './calibrate.ts'
import { compare, type ComparisonVector } from './compare.ts'
import { explain } from './explain.ts'
import { isValidUpn, nhsNumberNeighbours, validNhsNumber } from './identifiers.ts'
import { defaultModel, levelWeight } from './model.ts'
import { canonicalNames, isNickname, isSpellingVariant } from './nicknames.ts'
import { parsePostcode } from './postcode.ts'
import { score } from './score.ts'
import { standardise, surnameStem, type RawRecord } from './standardise.ts'
import { fold } from './text.ts'

const rec = (r: RawRecord) => standardise(r)
const model = defaultModel(100_000)
const child: RawRecord = { givenName: 'Alfred', familyName: 'Testwell', dateOfBirth: '2016-04-09', sex: 'M', nhsNumber: '9990000018', postcode: 'TE1 2AB' }

describe('standardisation', () => {
  test('folds accents, Ł, ß, Turkish İ and both Romanian s-commas to the same keys', () => {
    assert.equal(fold('Łukasz Müller-Straße'), 'lukasz muller-strasse')
    assert.equal(fold('İlkay'), 'ilkay')
    assert.equal(fold('Ștefan'), fold('Ştefan'))
    assert.equal(fold("O'Brien"), 'obrien')
  })

  test('placeholders give no given name; titles, particles and Mac/Mc are handled', () => {
    assert.deepEqual(rec({ givenName: 'Baby of Jane', familyName: 'Testwell' }).given, [])
    assert.equal(rec({ givenName: 'Twin 2', familyName: 'X' }).placeholder, true)
    assert.equal(rec({ givenName: 'Not known', familyName: 'X' }).placeholder, true)
    assert.deepEqual(rec({ givenName: 'Mr John', familyName: 'al-Rahman' }).given, ['john'])
    assert.deepEqual(rec({ familyName: 'al-Rahman' }).family, ['rahman'])
    assert.equal(rec({ familyName: 'MacDonald' }).familyJoined, rec({ familyName: 'McDonald' }).familyJoined)
    assert.deepEqual(rec({ familyName: 'Smith-Jones' }).family, ['smith', 'jones'])
  })

  test('postcodes: spacing, O/0 and I/1 repaired by position, outward code alone', () => {
    assert.equal(parsePostcode('cr0 2ab')!.unit, 'CR02AB')
    assert.equal(parsePostcode('CRO 2AB')!.unit, 'CR02AB')
    assert.equal(parsePostcode('SW1A 1AA')!.district, 'SW1A')
    assert.equal(parsePostcode('M1 IAA')!.unit, 'M11AA')
    assert.equal(parsePostcode('LS6')!.unit, '')
    assert.equal(parsePostcode('LS6')!.district, 'LS6')
    assert.equal(parsePostcode('not a postcode'), null)
  })

  test('NHS numbers: modulus 11, repeated digits refused, neighbours of a slip include the real number', () => {
    assert.equal(validNhsNumber('999 000 0018'), '9990000018')
    assert.equal(validNhsNumber('9990000019'), null)
    assert.equal(validNhsNumber('0000000000'), null)
    assert.ok(nhsNumberNeighbours('9990000081').includes('9990000018'))
    assert.ok(nhsNumberNeighbours('9990000019').includes('9990000018'))
  })

  test('UPN check letter', () => {
    assert.equal(isValidUpn('A938000000001'), false)
    // Check letter for 938000000001: weights 2..13 over the digits.
    const digits = '938000000001'
    let sum = 0
    for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i + 2)
    const letter = 'ABCDEFGHJKLMNPQRTUVWXYZ'[sum % 23]
    assert.equal(isValidUpn(`${letter}${digits}`), true)
  })

  test('nicknames, spelling variants and gendered surnames', () => {
    assert.ok(isNickname('alfie', 'alfred'))
    assert.ok(isNickname('kasia', 'katarzyna'))
    assert.ok(isSpellingVariant('mohammed', 'muhammad'))
    assert.ok(!isNickname('alfred', 'alfred'))
    assert.ok(canonicalNames('bobby').includes('robert'))
    assert.equal(surnameStem('kowalski'), surnameStem('kowalska'))
    assert.equal(surnameStem('kazlauskiene'), surnameStem('kazlauskas'))
  })
})

describe('comparison and score', () => {
  test('the same child recorded twice scores certain; a nickname and a new postcode still probable', () => {
    const a = rec(child)
    const same = score(model, a, rec({ ...child, givenName: 'ALFRED ' }))
    assert.equal(same.band, 'certain')
    const nick = score(model, rec({ ...child, givenName: 'Alfie', nhsNumber: null, postcode: 'TE9 9ZZ' }), a)
    assert.equal(nick.comparison.vector.given, 'nickname')
    assert.equal(nick.band, 'probable')
  })

  test('day and month swapped, a typo in the date, and names the other way round', () => {
    const a = rec(child)
    assert.equal(compare(rec({ ...child, dateOfBirth: '2016-09-04' }), a).vector.dob, 'swapped')
    assert.equal(compare(rec({ ...child, dateOfBirth: '2016-04-08' }), a).vector.dob, 'typo')
    const swapped = compare(rec({ ...child, givenName: 'Testwell', familyName: 'Alfred' }), a)
    assert.equal(swapped.swappedNames, true)
    assert.equal(swapped.vector.given, 'exact')
  })

  test('twins: same date of birth, family and address, different first names: never above possible', () => {
    const twinA = rec({ ...child, nhsNumber: null })
    const twinB = rec({ ...child, givenName: 'Wilhelmina', sex: 'F', nhsNumber: null })
    const s = score(model, twinA, twinB)
    assert.deepEqual(s.hazards, ['multiple-birth'])
    assert.ok(s.band === 'possible' || s.band === 'unlikely')
    assert.match(explain(s).map((r) => r.text).join(' '), /twin/)
  })

  test('boy-and-girl twins with two forms of one name (Andrei, Andreea) are told apart by sex, never above possible', () => {
    const twin = { familyName: 'Testwell', dateOfBirth: '2025-03-20', postcode: 'TE1 2AB' }
    const s = score(model, rec({ ...twin, givenName: 'Andrei', sex: 'M' }), rec({ ...twin, givenName: 'Andreea', sex: 'F' }))
    assert.ok(s.hazards.includes('multiple-birth'))
    assert.notEqual(s.band, 'probable')
  })

  test('when no name agrees (or none was given), date of birth and address alone are never more than possible', () => {
    const household = { dateOfBirth: child.dateOfBirth, postcode: child.postcode, sex: 'M' }
    for (const q of [{ ...household }, { ...household, givenName: 'Charlie', familyName: 'Otherley' }]) {
      const s = score(model, rec(q), rec({ ...child, nhsNumber: null }))
      assert.ok(s.hazards.includes('no-name-agrees'), JSON.stringify(s.comparison.vector))
      assert.ok(s.band === 'possible' || s.band === 'unlikely')
    }
    assert.ok(!score(model, rec({ ...household, givenName: 'Alfie' }), rec(child)).hazards.includes('no-name-agrees'))
  })

  test('"baby of" and unborn records are never certain, even on the same NHS number', () => {
    const baby = rec({ givenName: 'Baby of Jane', familyName: 'Testwell', dateOfBirth: '2026-11-01', nhsNumber: '9990000018' })
    const named = rec({ givenName: 'Ivy', familyName: 'Testwell', dateOfBirth: '2026-11-01', nhsNumber: '9990000018' })
    const s = score(model, baby, named)
    assert.ok(s.hazards.includes('baby-or-unborn'))
    assert.notEqual(s.band, 'certain')
    assert.notEqual(s.band, 'probable', 'a baby-of record could be either twin: a person checks it')
    const unborn = rec({ familyName: 'Testwell', expectedDateOfBirth: '2027-01-10' })
    assert.equal(compare(unborn, rec({ givenName: 'Ivy', familyName: 'Testwell', dateOfBirth: '2027-01-02' })).vector.dob, 'approx')
  })

  test("a mother's NHS number on a newborn's record is recognised and not counted", () => {
    const mother = rec({ givenName: 'Jane', familyName: 'Testwell', dateOfBirth: '1990-02-03', nhsNumber: '9990000018' })
    const newborn = rec({ givenName: 'Baby', familyName: 'Testwell', dateOfBirth: '2026-11-01', nhsNumber: '9990000018' })
    const s = score(model, newborn, mother)
    assert.ok(s.hazards.includes('mothers-nhs-number'))
    assert.equal(s.fields.find((f) => f.field === 'nhs')!.weight, 0)
    assert.notEqual(s.band, 'certain')
    assert.notEqual(s.band, 'probable')
  })

  test('a surname change matches against name history', () => {
    const now = rec({ ...child, familyName: 'Newname', nhsNumber: null, names: [{ familyName: 'Testwell' }] })
    const s = score(model, rec({ ...child, nhsNumber: null }), now)
    assert.equal(s.comparison.vector.family, 'history')
    assert.match(explain(s).find((r) => r.field === 'family')!.text, /earlier last name ‘Testwell’/)
  })

  test('pre- and post-adoption identities are never linked nor indexed', () => {
    const pre = rec({ ...child, adoption: 'pre-adoption' })
    const post = rec({ ...child, adoption: 'post-adoption', nhsNumber: '9990000026' })
    assert.equal(score(model, post, pre).band, 'unlikely')
    assert.deepEqual(recordKeys(pre), [])
  })

  test('both valid NHS numbers different: strong evidence against, never certain', () => {
    const s = score(model, rec(child), rec({ ...child, nhsNumber: '9990000026' }))
    assert.ok(s.hazards.includes('nhs-differs'))
    assert.ok(levelWeight(model, 'nhs', 'different') < -5)
    assert.notEqual(s.band, 'certain')
  })

  test('a common first name counts for less (term frequency)', () => {
    const tfModel = { ...model, tf: { ...model.tf, given: { alfred: 0.05, zebedee: 0.0001 } } }
    const common = score(tfModel, rec(child), rec(child)).fields.find((f) => f.field === 'given')!
    const rareChild = { ...child, givenName: 'Zebedee' }
    const rare = score(tfModel, rec(rareChild), rec(rareChild)).fields.find((f) => f.field === 'given')!
    assert.ok(common.tf < 0 && rare.weight > common.weight)
    // A misspelling of the common name (Alfredd) is never stronger evidence than the name itself.
    const misspelt = score(tfModel, rec(child), rec({ ...child, givenName: 'Alfredd' })).fields.find((f) => f.field === 'given')!
    assert.notEqual(misspelt.level, 'exact')
    assert.ok(misspelt.weight <= common.weight)
  })

  test('explanations cover every field, saying what was missing', () => {
    const s = score(model, rec({ givenName: 'Alfred', familyName: 'Testwell' }), rec(child))
    const reasons = explain(s)
    assert.equal(reasons.filter((r) => r.field !== 'rule').length, 6)
    assert.equal(reasons.find((r) => r.field === 'dob')!.effect, 'missing')
  })
})

describe('blocking', () => {
  const keysMeet = (q: RawRecord, r: RawRecord) => queryKeys(rec(q)).some((k) => recordKeys(rec(r)).includes(k))

  test('each slip on its own still shares a key with the record', () => {
    assert.ok(keysMeet({ ...child, nhsNumber: null, dateOfBirth: '2016-09-04' }, child))
    assert.ok(keysMeet({ ...child, nhsNumber: null, dateOfBirth: null }, child))
    assert.ok(keysMeet({ ...child, nhsNumber: null, familyName: 'Zzzz' }, child))
    assert.ok(keysMeet({ ...child, nhsNumber: null, givenName: 'Alfie', postcode: null }, child))
    assert.ok(keysMeet({ ...child, nhsNumber: null, givenName: 'Testwell', familyName: 'Alfred' }, child))
    assert.ok(keysMeet({ nhsNumber: '9990000081' }, child))
    // First name only, misspelt, with an estimated age and the postcode district: everyone that age in the district.
    assert.ok(keysMeet({ givenName: 'Arfred', dateOfBirth: '2017-07-01', dobPrecision: 'estimated', postcode: 'TE1' }, child))
    // No date of birth, both names slipped: the address.
    assert.ok(keysMeet({ givenName: 'Alfy', familyName: 'Tetswell', postcode: child.postcode }, child))
    assert.ok(!keysMeet({ givenName: 'Other', familyName: 'Person', dateOfBirth: '2001-01-01' }, child))
  })

  test('a nickname with no date of birth meets the full name by name, by name and district, and by name and year', () => {
    const nameKeys = (q: RawRecord) => queryKeys(rec(q)).filter((k) => recordKeys(rec(child)).includes(k)).map((k) => k.split(':')[0]).sort()
    assert.deepEqual(nameKeys({ givenName: 'Alfie', familyName: child.familyName, postcode: 'ZZ9 9ZZ' }), ['gf'])
    assert.deepEqual(nameKeys({ givenName: 'Alfie', familyName: child.familyName, postcode: 'TE1 9ZZ', dateOfBirth: '2016-07-01', dobPrecision: 'estimated' }), ['gf', 'gfp', 'sd', 'yd', 'yg'])
  })
})

describe('calibration', () => {
  test('EM recovers that matches agree and random pairs do not', () => {
    const agree: ComparisonVector = { given: 'exact', family: 'exact', dob: 'exact', sex: 'same', postcode: 'unit', nhs: null }
    const random: ComparisonVector = { given: 'else', family: 'else', dob: 'else', sex: 'different', postcode: 'else', nhs: null }
    const near: ComparisonVector = { given: 'else', family: 'exact', dob: 'else', sex: 'different', postcode: 'else', nhs: null }
    const u = estimateU([...Array(990).fill(random), ...Array(10).fill(near)])
    const em = estimateM([...Array(200).fill(agree), ...Array(300).fill(near)], u, [{ vector: agree, match: true }])
    assert.ok(em.m.given.exact! > 0.9)
    assert.ok(em.lambda > 0.3 && em.lambda < 0.5)
    const tf = termFrequencies([rec(child), rec(child), rec(child), rec({ ...child, givenName: 'Bob' })])
    assert.equal(tf.given.alfred, 0.75)
    assert.equal(tf.given.bob, undefined)
  })
})
