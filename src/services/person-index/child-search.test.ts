import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, desc, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, type World } from '../../../test/support/fixtures.ts'
import { auditEvent, person } from '../../db/schema/index.ts'
import { AccessDenied, type Actor } from '../common/context.ts'
import { childSearchInput, readQuery } from './child-search-input.ts'
import { searchChildren } from './child-search.ts'
import { birthDatesForAge, SEARCH_LIMIT } from './people.ts'

let database: TestDatabase
let world: World
let worker: Actor
before(async () => {
  ({ database, world } = await openTestWorld())
  worker = await world.user(['social-worker'])
})
after(() => database.close())

async function addChild(values: Partial<typeof person.$inferInsert> & { familyName: string }) {
  const [row] = await database.db
    .insert(person)
    .values({ partnershipId: world.partnershipId, givenName: 'Testy', dateOfBirth: '2015-01-01', ...values })
    .returning()
  return row!
}

const search = (q: Record<string, string>, actor = worker) => searchChildren(world.ctx(actor), childSearchInput.parse(q))

describe('the child search', () => {
  test('counts every match, shows the first 20 and says what to add; a date of birth narrows it', async () => {
    const names = ['Ada', 'Bea', 'Cal', 'Dov', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivo', 'Jem', 'Kit', 'Lev', 'Mo', 'Ned', 'Ora', 'Pip', 'Quin', 'Rex', 'Sol', 'Tam', 'Uma', 'Vic', 'Wyn', 'Xan', 'Yul']
    for (const [i, given] of names.entries()) {
      await addChild({ givenName: given, familyName: 'Quillonbridge', dateOfBirth: `20${10 + (i % 10)}-0${1 + (i % 9)}-1${i % 10}` })
    }
    const all = await search({ q: 'Quillonbridge' })
    assert.equal(all.total, names.length)
    assert.equal(all.people.length, SEARCH_LIMIT)
    assert.equal(all.refine, 'add a date of birth')
    const one = await search({ familyName: 'Quillonbridge', dateOfBirth: '2013-04-13' })
    assert.deepEqual(one.people.map((p) => p.givenName), ['Dov'])
    assert.equal(one.total, 1)
    assert.equal(one.refine, null)
    const [entry] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.actorUserId, worker.userId), eq(auditEvent.action, 'person.search')))
      .orderBy(desc(auditEvent.seq))
      .limit(1)
    assert.deepEqual(entry!.detail, { criteria: ['familyName', 'dateOfBirth'], personIds: [one.people[0]!.id], total: 1, restrictedMatches: 0 })
  })

  test('by age and by postcode, each narrowing', async () => {
    // 20 November 2026: aged 9 means born 21 November 2016 to 20 November 2017.
    assert.deepEqual(birthDatesForAge('2026-11-20', 9), { from: '2016-11-21', to: '2017-11-20' })
    const nine = await addChild({ givenName: 'Odo', familyName: 'Marrowvale', dateOfBirth: '2017-06-01', postcode: 'qk4 6bw' })
    const ten = await addChild({ givenName: 'Ilsa', familyName: 'Marrowvale', dateOfBirth: '2016-06-01', postcode: 'QK9 1AA' })
    assert.deepEqual((await search({ q: 'Marrowvale age 9' })).people.map((p) => p.id), [nine.id])
    assert.deepEqual((await search({ familyName: 'Marrowvale', postcode: 'QK96 1AA' })).people.map((p) => p.id), [])
    assert.deepEqual((await search({ q: 'marrowvale QK9 1AA' })).people.map((p) => p.id), [ten.id])
    assert.deepEqual(new Set((await search({ postcode: 'qk4' })).people.map((p) => p.id)), new Set([nine.id]))
  })

  test('links only the cases the user may open, never shows a restricted child and counts one only for a related user', async () => {
    const mine = await world.childCase({ familyName: 'Hollowquince' })
    const other = await world.childCase({ familyName: 'Hollowquince', team: 'front-door' })
    await world.childCase({ familyName: 'Hollowquince', restricted: true })
    const found = await search({ q: 'Hollowquince' })
    assert.equal(found.total, 2)
    const byPerson = new Map(found.people.map((p) => [p.id, p]))
    assert.equal(byPerson.get(mine.personId)!.mayOpenCase, true)
    assert.equal(byPerson.get(mine.personId)!.caseId, mine.caseId)
    assert.equal(byPerson.get(other.personId)!.mayOpenCase, false)
    assert.equal(found.restrictedMatches, 1, 'the restricted case is in the worker’s team')
    const outsider = await world.user(['social-worker'], { team: 'front-door' })
    const theirs = await search({ q: 'Hollowquince' }, outsider)
    assert.deepEqual([theirs.total, theirs.restrictedMatches], [2, 0])
    const admin = await world.user(['administrator'], { team: null })
    await assert.rejects(search({ q: 'Hollowquince' }, admin), AccessDenied)
  })
})

describe('reading the search field', () => {
  test('finds an NHS number, a date, an age, a postcode and names', () => {
    assert.deepEqual(readQuery('Ava Mae Quillon 3/4/2016').criteria, { dateOfBirth: '2016-04-03', givenName: 'Ava', familyName: 'Mae Quillon' })
    assert.deepEqual(readQuery('999 000 0018').criteria, { nhsNumber: '999 000 0018' })
    assert.deepEqual(readQuery('quillon aged 7 qk4 6bw').criteria, { age: 7, postcode: 'qk4 6bw', name: 'quillon' })
    assert.deepEqual(readQuery("O'Brien-Smyth 7 years old").criteria, { age: 7, name: "O'Brien-Smyth" })
    assert.match(readQuery('Ava 31/2/2016').problem!, /not a real date/)
    assert.match(readQuery('Ava 12345').problem!, /could not tell what ‘12345’ is/)
  })

  test('separate fields win; an age and a date of birth together, a bad NHS number or nothing at all are refused', () => {
    assert.deepEqual(childSearchInput.parse({ q: 'Ava Quillon', familyName: 'Quillan' }), { givenName: 'Ava', familyName: 'Quillan' })
    assert.deepEqual(childSearchInput.parse({ q: 'Quillon', postcode: 'QK4 6BW' }), { name: 'Quillon', postcode: 'QK46BW' })
    const issues = (q: Record<string, string>) => childSearchInput.safeParse(q).error?.issues.map((i) => [i.path[0], i.message])
    assert.deepEqual(issues({ dateOfBirth: '1/2/2016', age: '9' }), [['age', 'Enter a date of birth or an age, not both']])
    assert.deepEqual(issues({ q: 'Ava 999 000 0019' }), [['q', 'This is not a valid NHS number: check each digit']])
    assert.deepEqual(issues({ age: '40' }), [['age', 'Enter an age in whole years, from 0 to 25']])
    assert.deepEqual(issues({ q: '  ' }), [['q', 'Enter a name, a date of birth, an age, an NHS number or a postcode to search for']])
  })
})
