/**
 * The CIN census from Together's records: the demo journeys and a synthetic partnership export as
 * XSD-valid files, and our rules run on every child exported. PGlite, or PostgreSQL with DATABASE_URL.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { cinSchemaErrors } from '../../../test/support/cin-census-xsd.ts'
import { appUser } from '../../db/schema/index.ts'
import { parseCensus } from '../../domain/returns/cin-census/parse.ts'
import { loadActor } from '../access/accounts.ts'
import { AccessDenied, type ServiceContext } from '../common/context.ts'
import { DEMO_USERS, seedDemo } from '../demo/demo-seed.ts'
import { seedSynthetic } from '../demo/synthetic/seed.ts'
import { laCodeOf } from './la-code.ts'
import { exportOwnCinCensus, runCinCensus, validateOwnCinCensus, type CensusRunResult } from './cin-census-export.ts'

let database: TestDatabase
let demoPartnership: string
let syntheticPartnership: string
const NOW = new Date('2026-01-15T10:00:00Z')

before(async () => {
  database = await createTestDatabase()
  demoPartnership = (await seedDemo(database.db, 'correct horse battery', '2026-01-15', NOW)).partnershipId
  syntheticPartnership = (await seedSynthetic(database, { children: 800, seed: 5 })).partnershipId
})
after(() => database.close())

async function contextFor(role: string): Promise<ServiceContext> {
  const email = DEMO_USERS.find((u) => u.role === role)!.email
  const [user] = await database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email))
  return { db: database.db, actor: (await loadActor(database.db, user!.id))!, now: () => NOW }
}

async function exported(partnershipId: string, year: number): Promise<{ xml: string; result: CensusRunResult }> {
  let xml = ''
  const result = await runCinCensus(database.db, partnershipId, { year, lea: '938', now: NOW }, async (chunk) => {
    xml += chunk
  })
  return { xml, result }
}

const errorsOf = (result: CensusRunResult) => result.findings.filter((f) => f.type === 'error')

describe('CIN census export of the demo journeys', () => {
  it('writes an XSD-valid 2025-26 census of the demo children that our rules find no errors in, with the demo LA code', async () => {
    const ctx = await contextFor('performance-analyst')
    const checked = await validateOwnCinCensus(ctx, { year: 2026 })
    for (const f of checked.findings) assert.ok(f.caseId !== null || f.child === null, JSON.stringify(f))
    assert.deepEqual(errorsOf(checked), [])
    let xml = ''
    const result = await exportOwnCinCensus(ctx, { year: 2026, lea: await laCodeOf(database.db, demoPartnership) }, async (chunk) => {
      xml += chunk
    })
    assert.ok(result.summary.children >= 3, `${result.summary.children} children`)
    assert.deepEqual(await cinSchemaErrors(xml, 2026), [])
    assert.deepEqual(errorsOf(result), [])
    const file = parseCensus(xml)
    assert.equal(file.children.length, result.summary.children)
    assert.equal(file.header?.referenceDate, '2026-03-31')
    assert.equal(file.header?.lea, '999')
    assert.ok(file.children.every((c) => c.laChildId?.startsWith('DEMO') && c.ethnicity && c.disabilities))
  })

  it('is for performance analysts only', async () => {
    await assert.rejects(validateOwnCinCensus(await contextFor('social-worker'), { year: 2026 }), AccessDenied)
    await assert.rejects(exportOwnCinCensus(await contextFor('team-manager'), { year: 2026 }, async () => {}), AccessDenied)
  })
})

describe('CIN census export of synthetic data', () => {
  for (const year of [2024, 2025, 2026]) {
    it(`writes an XSD-valid census for ${year - 1}-${year - 2000} (${year <= 2024 ? 'GenderCurrent' : 'Sex'})`, async () => {
      const { xml, result } = await exported(syntheticPartnership, year)
      assert.ok(result.summary.children > 80, `${result.summary.children} children`)
      assert.deepEqual(await cinSchemaErrors(xml, year), [])
      assert.equal(xml.includes('<GenderCurrent>'), year <= 2024)
      assert.deepEqual(errorsOf(result), [])
    })
  }

  it('nothing that happened is dated after the reference date (targets and expected births may be)', async () => {
    const { xml } = await exported(syntheticPartnership, 2025)
    const late = [...xml.matchAll(/<(\w+)>(\d{4}-\d{2}-\d{2})</g)]
      .filter(([, element, date]) => date! > '2025-03-31' && element !== 'ExpectedPersonBirthDate' && element !== 'InitialCPCtarget')
      .map(([item]) => item)
    assert.deepEqual(late, [])
  })
})
