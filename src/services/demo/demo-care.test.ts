/**
 * The demo's child in care and care leaver (demo-care.ts) give a 903 with no errors in each year
 * their care spans: Fern's move and change of legal status after 31 March are open episodes in the
 * year before, and Gil, who left care on his 18th birthday, has no care leaver data at 18 (rule 1016).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { appUser, childCase, person } from '../../db/schema/index.ts'
import { loadActor } from '../access/accounts.ts'
import type { ServiceContext } from '../common/context.ts'
import { exportOwnSsda903, validateOwnSsda903 } from '../returns/ssda903-export/index.ts'
import { DEMO_USERS, seedDemo } from './demo-seed.ts'

const NOW = new Date('2026-12-07T10:00:00Z')
let database: TestDatabase
let analyst: ServiceContext

before(async () => {
  database = await createTestDatabase()
  await seedDemo(database.db, 'correct horse battery', '2026-12-07', NOW)
  const [u] = await database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, DEMO_USERS.find((x) => x.role === 'performance-analyst')!.email))
  analyst = { db: database.db, actor: (await loadActor(database.db, u!.id))!, now: () => NOW }
})
after(() => database.close())

const rowsOf = (files: { name: string; text: string }[], name: string) => files.find((f) => f.name === name)!.text.trimEnd().split('\r\n').slice(1)

test('the demo’s 903 has no errors in any year of Fern’s and Gil’s care', async () => {
  for (const year of [2024, 2025, 2026, 2027]) {
    const { findings } = await validateOwnSsda903(analyst, year)
    assert.deepEqual(findings.filter((f) => f.type === 'error'), [], `${year}`)
  }
})

test('2026-27: Fern’s three episodes, review, missing night and health; Gil left care at 18 with no OC3 data', async () => {
  const { files, children } = await exportOwnSsda903(analyst, 2027)
  assert.equal(children, 2)
  assert.deepEqual(rowsOf(files, 'episodes.csv'), [
    'DEMO0006,02/11/2025,S,C1,N1,U6,PR1,01/04/2026,X1,CARPL,ZQ3 6HS,ZQ5 7SD,XXXXXXX',
    'DEMO0006,01/04/2026,P,C1,N1,U4,PR4,01/05/2026,X1,,ZQ3 6HS,ZR3 6AU,SC999001',
    'DEMO0006,01/05/2026,L,C2,N1,U4,PR4,,,,ZQ3 6HS,ZR3 6AU,SC999001',
    'DEMO0007,01/10/2023,S,V2,N4,U6,PR1,01/05/2026,E17,,ZQ1 1QH,ZQ8 6BS,XXXXXXX',
  ])
  assert.deepEqual(rowsOf(files, 'missing.csv'), ['DEMO0006,03/09/2012,M,23/10/2026,24/10/2026'])
  assert.deepEqual(rowsOf(files, 'oc2.csv'), ['DEMO0006,03/09/2012,17,,0,,1,1,1,0,,'])
  assert.deepEqual(rowsOf(files, 'oc3.csv'), ['DEMO0007,01/05/2008,,,'])
})

test('2025-26: the episode that ended on 1 April is open at 31 March', async () => {
  const { files } = await exportOwnSsda903(analyst, 2026)
  assert.deepEqual(rowsOf(files, 'episodes.csv').filter((r) => r.startsWith('DEMO0006')), ['DEMO0006,02/11/2025,S,C1,N1,U6,PR1,,,,ZQ3 6HS,ZQ5 7SD,XXXXXXX'])
  assert.deepEqual(rowsOf(files, 'previous_permanence.csv'), ['DEMO0006,03/09/2012,Z1,,'])
})

test('Gil, a care leaver, keeps his case open at the care leaver stage (in his social worker’s caseload)', async () => {
  const [gil] = await database.db
    .select({ status: childCase.status, closedOn: childCase.closedOn })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(eq(person.givenName, 'Gil'))
  assert.deepEqual(gil, { status: 'care-leaver', closedOn: null })
})
