/** The scorecard on the demo data and on synthetic data, its CSV, the per-agency view, and who may read it. */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts'
import { World } from '../../../../test/support/fixtures.ts'
import { agency, appUser, careLeaver, careLeaverRecord, lookedAfterPeriod, placement } from '../../../db/schema/index.ts'
import { loadActor } from '../../access/accounts.ts'
import { AccessDenied, NotFound, type ServiceContext } from '../../common/context.ts'
import { DEMO_EMAIL_DOMAIN, seedDemo } from '../../demo/demo-seed.ts'
import { seedSynthetic } from '../../demo/synthetic/seed.ts'
import { scorecardCsv } from './csv.ts'
import { scorecard, scorecardFigures } from './scorecard.ts'

const NOW = new Date('2026-11-20T10:00:00Z')
let database: TestDatabase
after(() => database.close())
before(async () => {
  database = await createTestDatabase()
})

async function demoCtx(partnershipId: string, localPart: string): Promise<ServiceContext> {
  const [u] = await database.db.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.email, `${localPart}@${DEMO_EMAIL_DOMAIN}`)))
  return { db: database.db, actor: (await loadActor(database.db, u!.id))!, now: () => NOW, requestId: 'test' }
}

describe('the multi-agency scorecard', () => {
  test('on the demo data: contacts by source, a section 11 cycle, the CSV and the school’s own view', async () => {
    const { partnershipId } = await seedDemo(database.db, 'correct horse battery', '2026-11-20', NOW)
    const ctx = await demoCtx(partnershipId, 'business.unit')
    const period = { from: '2025-11-21', to: '2026-11-20' }
    const all = await scorecard(ctx, period, null)
    const school = all.contactsBySource.find((c) => c.agency.startsWith('Oakfield'))
    assert.ok(school && school.contacts >= 2 && school.referrals >= 1, JSON.stringify(all.contactsBySource))
    assert.ok(all.decisionsWithin1.of >= 2)
    assert.ok(all.section11.byAgency.length >= 1, 'the demo cycle has a submitted self-assessment')
    const csv = scorecardCsv(all)
    assert.match(csv.split('\r\n')[0]!, /^Section,Measure,Breakdown,Count,Of,Percent$/)
    assert.match(csv, /Front door,Contacts,Oakfield Primary School \(demo\),\d+/)

    const [police] = await database.db.select({ id: agency.id }).from(agency).where(and(eq(agency.partnershipId, partnershipId), eq(agency.name, 'Demoshire Police')))
    const policeView = await scorecard(ctx, period, police!.id)
    assert.equal(policeView.agency?.name, 'Demoshire Police')
    assert.ok(policeView.contactsBySource.every((c) => c.agency === 'Demoshire Police'))
    assert.ok(policeView.informationRequests.every((r) => r.agency === 'Demoshire Police'))
    assert.deepEqual(policeView.system, all.system, 'the whole partnership’s measures are the same in an agency’s view')
    // Late completions by reason (issue 17): every reason counted, then those without one; the same whatever the agency.
    assert.equal(all.lateByReason.reasons.at(-1)!.reason, 'not-given')
    assert.equal(all.lateByReason.reasons.reduce((n, r) => n + r.count, 0), all.lateByReason.total)
    assert.deepEqual(policeView.lateByReason, all.lateByReason)

    for (const role of ['performance.analyst', 'team.manager']) await scorecard(await demoCtx(partnershipId, role === 'performance.analyst' ? 'analyst' : role), period, null)
    for (const refused of ['partner', 'social.worker', 'front.door', 'auditor', 'lado']) {
      await assert.rejects(scorecard(await demoCtx(partnershipId, refused), period, null), AccessDenied, refused)
    }
    const other = await World.create(database.db)
    await assert.rejects(scorecard(ctx, period, other.agencies.police!), NotFound, 'another partnership’s agency')
  })

  test('on synthetic data every figure is computed', async () => {
    const seeded = await seedSynthetic(database, { children: 60, seed: 5 })
    const figures = await scorecardFigures(database.db, seeded.partnershipId, { from: '2025-04-01', to: '2026-03-31' }, null, NOW)
    assert.ok(figures.contactsBySource.reduce((n, c) => n + c.contacts, 0) > 0)
    assert.ok(figures.system.referrals > 0)
    assert.ok(figures.conversionToAssessment.of > 0)
    assert.ok(scorecardCsv(figures).split('\r\n').length > 10)
  })

  test('placement stability and care leavers at 19 to 21 from the recorded placements and contacts', async () => {
    const world = await World.create(database.db)
    const by = (await world.user(['social-worker'])).userId
    const inCare = await world.childCase()
    await database.exec(`update person set date_of_birth = '2014-01-01' where id = '${inCare.personId}'`)
    const [period] = await database.db.insert(lookedAfterPeriod).values({ partnershipId: world.partnershipId, caseId: inCare.caseId, startedOn: '2025-06-01', legalStatus: 'C2', recordedBy: by }).returning()
    const owner = { partnershipId: world.partnershipId, caseId: inCare.caseId, periodId: period!.id, recordedBy: by, postcode: 'ZQ1 2NT' }
    await database.db.insert(placement).values([
      { ...owner, placeType: 'U6', provider: 'PR1', startedOn: '2025-06-01', endedOn: '2025-09-01' },
      { ...owner, placeType: 'U4', provider: 'PR4', startedOn: '2025-09-01', endedOn: '2026-01-01' },
      { ...owner, placeType: 'K2', provider: 'PR4', startedOn: '2026-01-01' },
    ])
    const leaver = await world.childCase()
    await database.exec(`update person set date_of_birth = '2006-02-01' where id = '${leaver.personId}'`)
    const mine = { partnershipId: world.partnershipId, caseId: leaver.caseId, recordedBy: by }
    await database.db.insert(careLeaver).values({ ...mine, category: 'former-relevant' })
    await database.db.insert(careLeaverRecord).values({ ...mine, kind: 'contact', on: '2026-02-10', inTouch: 'YES', accommodation: 'U1', activity: 'G5' })
    const figures = await scorecardFigures(database.db, world.partnershipId, { from: '2025-04-01', to: '2026-03-31' }, null, NOW)
    assert.deepEqual(figures.placementStability, { inCare: 1, threeOrMore: { count: 1, of: 1, percent: 100 }, longTermStable: { count: 0, of: 0, percent: null } })
    assert.deepEqual(figures.careLeavers, {
      aged19to21: 1,
      suitableAccommodation: { count: 1, of: 1, percent: 100 },
      inEducationEmploymentTraining: { count: 0, of: 1, percent: 0 },
    })
  })
})
