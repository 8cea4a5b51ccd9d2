import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { isSpellingVariant } from '../../src/domain/person-index/nicknames.ts'
import { fold } from '../../src/domain/person-index/text.ts'
import { generatePopulation, generateQueries, generateRecords, INVENTED_FAMILY_NAMES } from '../../bench/matching-generator.ts'

/** Common real family names across the origins the generator models: none may be generated. */
const REAL_FAMILY_NAMES = [
  'smith', 'jones', 'williams', 'taylor', 'brown', 'davies', 'evans', 'wilson', 'thomas', 'johnson', 'roberts', 'robinson', 'wright', 'walker',
  'white', 'hughes', 'green', 'hall', 'lewis', 'harris', 'clarke', 'jackson', 'wood', 'turner', 'martin', 'cooper', 'hill', 'ward', 'morris',
  'moore', 'king', 'baker', 'morgan', 'allen', 'scott', 'murphy', 'kelly', 'mcdonald', 'obrien', 'khan', 'patel', 'singh', 'begum', 'ali',
  'hussain', 'ahmed', 'rahman', 'islam', 'chowdhury', 'choudhury', 'miah', 'uddin', 'shah', 'kaur', 'malik', 'nowak', 'kowalski', 'kowalska',
  'wisniewski', 'wojcik', 'kaminski', 'lewandowski', 'mohamed', 'hassan', 'abdi', 'warsame', 'farah', 'jama', 'osman', 'nguyen', 'tran',
  'le', 'pham', 'wang', 'li', 'zhang', 'chen', 'liu', 'wong', 'chan', 'kim', 'popescu', 'ionescu', 'popa', 'okafor', 'adeyemi', 'mensah',
  'owusu', 'boateng', 'osei',
]

const variantsOf = (name: string) => REAL_FAMILY_NAMES.filter((n) => isSpellingVariant(n, name))

describe('matching benchmark generator', () => {
  const population = generatePopulation(7, 3000)
  const records = [...generateRecords(7, population.people)]
  const queries = generateQueries(7, population, 2000)

  test('is deterministic: the same seed and size give the same people, records and queries', () => {
    const again = generatePopulation(7, 3000)
    assert.deepEqual(again.people.slice(0, 200), population.people.slice(0, 200))
    assert.deepEqual([...generateRecords(7, again.people)].slice(0, 200), records.slice(0, 200))
    assert.deepEqual(generateQueries(7, again, 50), queries.slice(0, 50))
  })

  test('people are obviously fictional: invented family names, postcodes in areas that do not exist, NHS numbers from the test range', () => {
    const real = new Set(REAL_FAMILY_NAMES)
    const families = [...population.people, ...population.unknown].flatMap((p) => [p.family, p.oldFamily]).filter((f): f is string => !!f)
    for (const name of [...families, ...Object.values(INVENTED_FAMILY_NAMES).flat()]) {
      for (const part of fold(name).split(/[\s-]+/)) assert.ok(!real.has(part), `${name} is a real family name`)
    }
    const people = new Map(population.people.map((p) => [p.id, p]))
    for (const r of records) {
      // A record may hold the names the wrong way round: a real family name there is the person's first name.
      const invented = (n: string) => fold(n).split(/[\s-]+/).every((part) => !real.has(part))
      const given = fold(people.get(r.truth)!.given)
      if (r.family && !invented(r.family)) assert.ok([given, ...variantsOf(given)].includes(fold(r.family)), `record family name ${r.family}`)
      if (r.postcode) assert.match(r.postcode.trim(), /^Q/i, `postcode ${r.postcode}`)
      if (r.nhs && !r.nhs.startsWith('999')) assert.fail(`NHS number ${r.nhs} is outside the 999 test range`)
    }
  })

  test('keeps realistic skew and the hazards the matcher must handle', () => {
    const counts = new Map<string, number>()
    for (const p of population.people) counts.set(p.family, (counts.get(p.family) ?? 0) + 1)
    const sorted = [...counts.values()].sort((a, b) => b - a)
    assert.ok(sorted[0]! >= 20 * sorted[Math.floor(sorted.length / 2)]!, `commonest family name ${sorted[0]} against median ${sorted[Math.floor(sorted.length / 2)]}`)
    // …but no more than England's: the commonest family name about 1% of people (Smith 1.15%), the commonest first name a few per cent of boys.
    assert.ok(sorted[0]! <= 0.02 * population.people.length, `commonest family name ${sorted[0]} of ${population.people.length}`)
    const boys = population.people.filter((p) => !p.adult && p.sex === 'M')
    const given = new Map<string, number>()
    for (const p of boys) given.set(p.given, (given.get(p.given) ?? 0) + 1)
    assert.ok(Math.max(...given.values()) <= 0.05 * boys.length, `commonest boy's name ${Math.max(...given.values())} of ${boys.length}`)
    assert.ok(population.people.some((p) => p.multiples.length > 0), 'twins')
    assert.ok(population.people.some((p) => p.oldFamily), 'surname changes')
    assert.ok(population.people.some((p) => /(ski|ska)$/.test(p.family)), 'gendered surnames')
    const errors = new Set(queries.flatMap((q) => q.errors))
    for (const kind of ['nickname', 'transliteration', 'typo-given', 'typo-family', 'phonetic-given', 'dob-swap', 'old-surname', 'first-name-only']) {
      assert.ok(errors.has(kind), `queries include ${kind}`)
    }
  })
})
