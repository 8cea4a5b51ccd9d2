/**
 * A child recorded in Together (issue 17, section 1): created by the contact form's service, referred,
 * assessed, a strategy discussion, a section 47 enquiry and an initial conference that puts them on
 * a child protection plan, with their details completed on the details page's service. They get an
 * LA child ID at referral, export to a 2025-26 CIN census file with no errors (rule 8500 and the
 * rest) that is valid against the DfE schema, and are in the DfE daily feed.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { cinSchemaErrors } from '../../../test/support/cin-census-xsd.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { contactChild, person } from '../../db/schema/index.ts'
import { parseCensus } from '../../domain/returns/cin-census/parse.ts'
import type { Actor } from '../common/context.ts'
import { completeAssessment, startAssessment } from '../journey/assessments.ts'
import { childProtectionOf } from '../journey/child-protection.ts'
import { childDetailsInput } from '../journey/child-details-input.ts'
import { changeChildDetails, childDetails } from '../journey/child-details.ts'
import { recordConferenceOutcome, scheduleConference } from '../journey/conferences.ts'
import { listEpisodes, setPrimaryNeed } from '../journey/episodes.ts'
import { contactInput } from '../journey/front-door-input.ts'
import { decideContact, recordContact } from '../journey/front-door.ts'
import { updateSection47 } from '../journey/section47.ts'
import { recordStrategyDiscussion } from '../journey/strategy-discussions.ts'
import { exportOwnCinCensus } from './cin-census-export.ts'
import { prepareFeed } from './csc-feed.ts'

let database: TestDatabase
let world: World
before(async () => {
  ;({ database, world } = await openTestWorld())
  await world.agency('health', 'health-trust')
})
after(() => database.close())

/** A service context on a day (10:00 in England in winter). */
const on = (world: World, actor: Actor, day: string) => world.ctx(actor, new Date(`${day}T10:00:00Z`))

describe('a child recorded in Together, on a child protection plan', () => {
  test('has an LA child ID, exports to the CIN census with no errors, and is in the DfE daily feed', async () => {
    const practitioner = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const chair = await world.user(['conference-chair'], { team: null })
    const analyst = await world.user(['performance-analyst'], { team: null })

    const contact = await recordContact(
      on(world, practitioner, '2026-02-02'),
      contactInput.parse({
        receivedDate: '2026-02-02',
        receivedTime: '09:30',
        source: '2A',
        referrerName: 'Pat Example',
        referrerRole: 'Designated safeguarding lead',
        concern: 'Fictional concern: bruising seen at school.',
        consent: 'given',
        urgency: 'standard',
        children: [{ newPerson: { givenName: 'Clover', familyName: 'Censusworth', dateOfBirth: '2017-06-05', sex: 'F', disabilities: [] } }],
      }),
    )
    const [link] = await database.db.select().from(contactChild).where(eq(contactChild.contactId, contact.id))
    const caseId = link!.caseId
    await decideContact(on(world, practitioner, '2026-02-02'), contact.id, { decision: 'referral', reason: 'Needs an assessment', version: contact.version })
    const [child] = await database.db.select().from(person).where(eq(person.id, link!.personId))
    assert.match(child!.laChildId ?? '', /^C\d{7}$/, 'given at referral')

    // The details page completes what the census asks of the child.
    const ctx = on(world, practitioner, '2026-02-03')
    const { details } = await childDetails(ctx, caseId)
    await changeChildDetails(ctx, caseId, childDetailsInput.parse({ ...details, ethnicity: 'WBRI', disabilities: ['NONE'], upn: 'D938000000001', reason: 'From the school (fictional)' }))

    const [episode] = await listEpisodes(ctx, caseId)
    await setPrimaryNeed(on(world, practitioner, '2026-02-10'), caseId, episode!.id, { primaryNeed: 'N1', version: episode!.version })
    const assessment = await startAssessment(ctx, caseId, { episodeId: episode!.id, kind: 'single', startedOn: '2026-02-03' })
    await completeAssessment(on(world, practitioner, '2026-02-10'), caseId, assessment.id, { version: assessment.version, completedOn: '2026-02-10', factors: ['2B'], outcome: 'strategy-discussion' })
    const discussed = await recordStrategyDiscussion(on(world, practitioner, '2026-02-11'), caseId, {
      heldOn: '2026-02-11',
      heldAtTime: '10:30',
      attendees: [
        { name: 'Sam Fictional', agencyId: world.agencies.council!, role: 'Social worker' },
        { name: 'DC Imaginary', agencyId: world.agencies.police!, role: 'Detective constable' },
        { name: 'Nurse Pretend', agencyId: world.agencies.health!, role: 'Named nurse' },
      ],
      informationShared: 'Fictional: bruising seen at school.',
      decision: 's47-joint',
      decisionDetail: 'Joint visit.',
      immediateSafetyActions: 'None needed tonight.',
    })
    const s47 = await updateSection47(on(world, practitioner, '2026-02-16'), caseId, discussed.section47!.id, {
      version: discussed.section47!.version,
      childSeenOn: '2026-02-12',
      outcome: 'substantiated-continuing-risk',
      completedOn: '2026-02-16',
      findings: 'Fictional findings.',
      outcomeReasons: 'Fictional reasons.',
    })
    const conference = await scheduleConference(on(world, practitioner, '2026-02-17'), caseId, {
      kind: 'initial',
      scheduledFor: '2026-02-25',
      scheduledTime: '10:00',
      venue: 'Room 2, Civic Centre (fictional)',
      chairId: chair.userId,
      section47Id: s47.id,
      participants: [{ party: 'family', name: 'Parent Fictional', attendance: 'invited' }],
    })
    const outcome = await recordConferenceOutcome(on(world, chair, '2026-02-25'), caseId, conference.id, {
      version: conference.version,
      heldOn: '2026-02-25',
      participants: [{ party: 'family', name: 'Parent Fictional', attendance: 'attended' }],
      decision: 'plan',
      categories: ['NEG'],
      outlinePlan: 'Fictional outline plan.',
      dissent: '',
      startChildInNeedPlan: false,
    })
    assert.equal(outcome.plan?.kind, 'child-protection')
    assert.equal((await childProtectionOf(on(world, practitioner, '2026-02-26'), caseId)).plans.length, 1)

    let xml = ''
    const result = await exportOwnCinCensus(on(world, analyst, '2026-04-10'), { year: 2026, lea: '938' }, async (chunk) => {
      xml += chunk
    })
    const errors = result.findings.filter((f) => f.type === 'error')
    assert.deepEqual(errors, [], 'no errors in the census')
    assert.deepEqual(await cinSchemaErrors(xml, 2026), [])
    const exported = parseCensus(xml).children.find((c) => c.laChildId === child!.laChildId)
    assert.ok(exported, 'the child is in the census file')
    assert.equal(exported.upn, 'D938000000001')

    const feed = await prepareFeed(database.db, world.partnershipId, '2026-04-10')
    const record = feed.records.find((r) => r.la_child_id === child!.laChildId)
    assert.ok(record, 'the child is in the DfE daily feed')
  })
})
