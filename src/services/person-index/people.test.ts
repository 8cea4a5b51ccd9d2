import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, desc, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, person } from '../../db/schema/index.ts'
import { AccessDenied, ValidationFailed, type Actor } from '../common/context.ts'
import { personInput, personSearchInput } from '../journey/front-door-input.ts'
import { createPerson, peopleForContactForm, searchPeople, SEARCH_LIMIT } from './people.ts'

let database: TestDatabase
let world: World
let practitioner: Actor
before(async () => {
  ({ database, world } = await openTestWorld())
  practitioner = await world.user(['front-door-practitioner'], { team: 'front-door' })
})
after(() => database.close())

async function addPerson(values: Partial<typeof person.$inferInsert> & { familyName: string }, p = world) {
  const [row] = await database.db
    .insert(person)
    .values({ partnershipId: p.partnershipId, givenName: 'Testy', dateOfBirth: '2015-01-01', ...values })
    .returning()
  return row!
}

const search = (q: Record<string, string>, actor = practitioner) => searchPeople(world.ctx(actor), personSearchInput.parse(q))

describe('person search', () => {
  test('finds an exact NHS number first, written with spaces or not', async () => {
    const holder = await addPerson({ familyName: 'Quillfeather', nhsNumber: '9434765919' })
    const { people } = await search({ nhsNumber: '943 476 5919' })
    assert.equal(people[0]!.id, holder.id)
  })

  test('matches a name prefix case-insensitively, and a misspelt or sound-alike name', async () => {
    const a = await addPerson({ givenName: 'Marigold', familyName: 'Thistlewaite' })
    const b = await addPerson({ givenName: 'Marigold', familyName: 'Thistlethwaite' })
    await addPerson({ givenName: 'Marigold', familyName: 'Brambleworth' })
    const prefix = await search({ familyName: 'thistle' })
    assert.deepEqual(new Set(prefix.people.map((p) => p.id)), new Set([a.id, b.id]))
    const misspelt = await search({ familyName: 'Thistlewayte', givenName: 'marigold' })
    assert.ok(misspelt.people.some((p) => p.id === a.id))
    assert.ok(!misspelt.people.some((p) => p.familyName === 'Brambleworth'))
  })

  test('a date of birth on its own finds exact matches; with a name it ranks them first', async () => {
    const match = await addPerson({ givenName: 'Orson', familyName: 'Wickerbasket', dateOfBirth: '2011-07-07' })
    const other = await addPerson({ givenName: 'Orson', familyName: 'Wickerbasket', dateOfBirth: '2012-08-08' })
    const byDate = await search({ dateOfBirth: '2011-07-07' })
    assert.ok(byDate.people.some((p) => p.id === match.id))
    assert.ok(!byDate.people.some((p) => p.id === other.id))
    const both = await search({ familyName: 'Wickerbasket', dateOfBirth: '2011-07-07' })
    assert.deepEqual(both.people.map((p) => p.id), [match.id, other.id])
  })

  test('shows whether a person has a case, never names a restricted person, and counts one only for a user related to its case', async () => {
    const known = await world.childCase({ familyName: 'Larkspurrow' })
    await world.childCase({ familyName: 'Larkspurrow', restricted: true })
    await addPerson({ familyName: 'Larkspurrow', restricted: true })
    const { people, restrictedMatches } = await search({ familyName: 'Larkspurrow' })
    assert.equal(people.length, 1)
    assert.equal(people[0]!.caseId, known.caseId)
    assert.equal(people[0]!.caseStatus, 'assessment')
    // The front door practitioner is related to neither restricted record: not even a count.
    assert.equal(restrictedMatches, 0)
    // The manager of the restricted case's team may ask for permission, so is told of that one only.
    const manager = await world.user(['team-manager'])
    const asManager = await search({ familyName: 'Larkspurrow' }, manager)
    assert.deepEqual([asManager.people.length, asManager.restrictedMatches], [1, 1])
  })

  test('stays within the partnership, shows at most 20, says how many matched and is audited', async () => {
    const elsewhere = await World.create(database.db)
    await addPerson({ familyName: 'Pennyroyalist' }, elsewhere)
    for (let i = 0; i < SEARCH_LIMIT + 3; i++) await addPerson({ familyName: `Gooseberryfield${i}` })
    assert.equal((await search({ familyName: 'Pennyroyalist' })).people.length, 0)
    const many = await search({ familyName: 'Gooseberryfield' })
    assert.equal(many.people.length, SEARCH_LIMIT)
    // Never cut silently: how many matched, and what would narrow it.
    assert.deepEqual([many.total, many.refine], [SEARCH_LIMIT + 3, 'add a date of birth'])
    const [entry] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.actorUserId, practitioner.userId), eq(auditEvent.action, 'person.search')))
      .orderBy(desc(auditEvent.seq))
      .limit(1)
    const detail = entry!.detail as { criteria: string[]; personIds: string[]; total: number }
    assert.deepEqual(detail.criteria, ['familyName'])
    assert.equal(detail.total, SEARCH_LIMIT + 3)
    assert.deepEqual(detail.personIds, many.people.map((p) => p.id))
  })

  test('needs something to search for, a valid NHS number and the right role', async () => {
    assert.equal(personSearchInput.safeParse({ givenName: ' ' }).success, false)
    const bad = personSearchInput.safeParse({ nhsNumber: '9990000051' })
    assert.match(bad.error!.issues[0]!.message, /not a valid NHS number/)
    const admin = await world.user(['administrator'], { team: null })
    await assert.rejects(search({ familyName: 'Anyone' }, admin), AccessDenied)
  })
})

describe('adding a person', () => {
  const child = (over: Record<string, unknown> = {}) =>
    personInput.parse({ givenName: 'Nell', familyName: 'Cobblestone', dateOfBirth: '2019-09-09', sex: 'F', disabilities: 'NONE', ethnicity: 'WBRI', ...over })

  test('stores the census fields and audits the creation', async () => {
    const row = await createPerson(world.ctx(practitioner), child({ nhsNumber: '999 000 0018', disabilities: ['COMM', 'LD'] }))
    assert.equal(row.nhsNumber, '9990000018')
    assert.deepEqual(row.disabilities, ['COMM', 'LD'])
    assert.equal(row.sex, 'F')
    assert.equal(row.ethnicity, 'WBRI')
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, row.id), eq(auditEvent.action, 'person.create')))
    assert.equal(entry!.subjectPersonId, row.id)
  })

  test('an unborn child has an expected date of birth instead', async () => {
    const row = await createPerson(world.ctx(practitioner), child({ dateOfBirth: '', expectedDateOfBirth: '2027-02-01', sex: 'U' }))
    assert.equal(row.dateOfBirth, null)
    assert.equal(row.expectedDateOfBirth, '2027-02-01')
    const neither = personInput.safeParse({ givenName: 'A', familyName: 'B', sex: 'U' })
    assert.deepEqual(neither.error!.issues.map((i) => i.path[0]), ['dateOfBirth'])
    const noneAndOther = personInput.safeParse({ givenName: 'A', familyName: 'B', sex: 'U', dateOfBirth: '2020-01-01', disabilities: ['NONE', 'VIS'] })
    assert.deepEqual(noneAndOther.error!.issues.map((i) => i.path[0]), ['disabilities'])
  })

  test('refuses a future date of birth, an NHS number already held, and users who cannot record contacts', async () => {
    await assert.rejects(createPerson(world.ctx(practitioner), child({ dateOfBirth: '2027-01-01' })), (err) => err instanceof ValidationFailed && 'dateOfBirth' in err.fieldErrors)
    await createPerson(world.ctx(practitioner), child({ nhsNumber: '9990000026', familyName: 'Firstholder' }))
    await assert.rejects(createPerson(world.ctx(practitioner), child({ nhsNumber: '9990000026' })), (err) => err instanceof ValidationFailed && 'nhsNumber' in err.fieldErrors)
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await assert.rejects(createPerson(world.ctx(partner), child()), AccessDenied)
  })

  test('an NHS number held by a restricted person: refused in the words of any held number, unless the user is related to their case', async () => {
    const nhsMessage = (nhsNumber: string) =>
      createPerson(world.ctx(practitioner), child({ nhsNumber })).then(
        () => assert.fail('the duplicate is refused'),
        (err: unknown) => (assert.ok(err instanceof ValidationFailed), err.fieldErrors.nhsNumber),
      )
    await addPerson({ familyName: 'Openheld', nhsNumber: '9990000700' })
    await addPerson({ familyName: 'Restrictedheld', nhsNumber: '9990000719', restricted: true })
    // A restricted case in another team (unrelated to the practitioner) and one in their own team (related).
    const unrelated = await world.childCase({ familyName: 'Otherteamheld', team: 'assessment', restricted: true })
    const related = await world.childCase({ familyName: 'Ownteamheld', team: 'front-door', restricted: true })
    await database.db.update(person).set({ nhsNumber: '9990000727' }).where(eq(person.id, unrelated.personId))
    await database.db.update(person).set({ nhsNumber: '9990000735' }).where(eq(person.id, related.personId))

    const held = await nhsMessage('9990000700')
    assert.match(held!, /cannot be used .* ask a front door manager to check the number/)
    assert.equal(await nhsMessage('9990000719'), held, 'a restricted person unrelated to the user: the same words')
    assert.equal(await nhsMessage('9990000727'), held, 'a restricted case unrelated to the user: the same words')
    assert.doesNotMatch(held!, /restricted/)
    const told = await nhsMessage('9990000735')
    assert.match(told!, /restricted/, 'the user related to the restricted case is told, as the search tells them')
    assert.equal((await searchPeople(world.ctx(practitioner), personSearchInput.parse({ nhsNumber: '9990000735' }))).restrictedMatches, 1)
  })

  test('the contact form shows chosen people but never a restricted one', async () => {
    const open = await addPerson({ familyName: 'Hollyhockley' })
    const hidden = await addPerson({ familyName: 'Hollyhockley', restricted: true })
    const shown = await peopleForContactForm(world.ctx(practitioner), [hidden.id, open.id])
    assert.deepEqual(shown.map((p) => p.id), [open.id])
  })
})
