import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { childCase, contact, person } from '../../db/schema/index.ts'
import { AccessDenied, NotFound } from '../common/context.ts'
import { acknowledgementInput, decisionInput, feedbackInput } from '../journey/front-door-input.ts'
import { acknowledgeContact, decideContact, recordFeedback, viewContact } from '../journey/front-door.ts'
import { myNotifications } from './notifications.ts'
import { referralInput } from './referrals-input.ts'
import { addReferralInformation, myReferral, myReferrals, peopleOfContact, submitReferral } from './referrals.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const referral = (child: Record<string, unknown> = {}) =>
  referralInput.parse({
    child: { givenName: 'Robin', familyName: 'Referred', dateOfBirth: '2017-02-03', sex: 'F', ...child },
    family: { familyDetails: 'Lives with mum and a younger brother (fictional).', address: '' },
    concern: { concern: 'Robin said she is scared to go home (fictional).', urgency: 'urgent' },
    consent: { familyTold: 'Mum was told we are worried and will contact children’s services.', consent: 'given', consentReason: '' },
  })

describe('professional referrals', () => {
  test('a school DSL’s referral becomes a front door contact; they follow its acknowledgement, decision and outcome', async () => {
    const frontDoor = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const dsl = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const sent = await submitReferral(world.ctx(dsl), referral())
    const [row] = await database.db.select().from(contact).where(eq(contact.id, sent.contactId))
    assert.equal(row!.teamId, world.teams['front-door'])
    assert.equal(row!.source, '2A', 'a school referral is coded SCHOOLS')
    assert.equal(row!.urgency, 'urgent')
    assert.match(row!.concern, /What the family has been told: Mum was told/)
    const [caseRow] = await database.db.select().from(childCase).innerJoin(person, eq(person.id, childCase.personId)).where(eq(person.givenName, 'Robin'))
    assert.equal(caseRow!.child_case.teamId, world.teams['front-door'])

    const told = await myNotifications(world.ctx(frontDoor))
    assert.ok(told.some((n) => n.kind === 'referral-received' && n.link === `/contacts/${sent.contactId}`))

    let [mine] = (await myReferrals(world.ctx(dsl))).items
    assert.equal(mine!.childName, 'Robin Referred')
    assert.equal(mine!.acknowledgement.due, '2026-11-23', 'acknowledged within 1 working day (Friday → Monday)')
    assert.equal(mine!.decision, null)

    const fd = world.ctx(frontDoor)
    const acked = await acknowledgeContact(fd, sent.contactId, acknowledgementInput.parse({ acknowledgedOn: '2026-11-20', version: row!.version }))
    const decided = await decideContact(fd, sent.contactId, decisionInput.parse({ decision: 'referral', reason: 'Needs an assessment', version: acked.version }))
    await recordFeedback(fd, sent.contactId, feedbackInput.parse({ feedbackOn: '2026-11-20', feedback: 'A social worker will assess.', version: decided.version }))
    mine = (await myReferrals(world.ctx(dsl))).items[0]
    assert.equal(mine!.acknowledgement.state, 'completed-on-time')
    assert.equal(mine!.decision, 'referral')
    assert.equal(mine!.feedback, 'A social worker will assess.')
    const kinds = (await myNotifications(world.ctx(dsl))).map((n) => n.kind).sort()
    assert.deepEqual(kinds, ['referral-acknowledged', 'referral-decided', 'referral-feedback'])
  })

  test('information added later lands on the contact; nobody else sees the referral', async () => {
    await world.user(['front-door-practitioner'], { team: 'front-door' })
    const dsl = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const other = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const sent = await submitReferral(world.ctx(dsl), referral({ givenName: 'Later' }))
    await addReferralInformation(world.ctx(dsl), sent.id, { information: 'She came in today with a bruise (fictional).' })
    const detail = await myReferral(world.ctx(dsl), sent.id)
    assert.equal(detail.additionsList.length, 1)
    assert.equal(detail.concern, referral().concern.concern, 'the referrer sees their own concern, in their words')
    await assert.rejects(myReferral(world.ctx(other), sent.id), NotFound)
    await assert.rejects(addReferralInformation(world.ctx(other), sent.id, { information: 'x' }), NotFound)
    const frontDoor = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const view = await viewContact(world.ctx(frontDoor), sent.contactId)
    assert.match(view.additions[0]!.body, /bruise/)
  })

  test('a known child is matched by NHS number, a restricted one too, and the referrer learns nothing of it', async () => {
    await world.user(['front-door-practitioner'], { team: 'front-door' })
    const known = await world.childCase({ restricted: true, givenName: 'Known' })
    await database.db.update(person).set({ nhsNumber: '9990000069' }).where(eq(person.id, known.personId))
    const dsl = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const sent = await submitReferral(world.ctx(dsl), referral({ givenName: 'Known', nhsNumber: '999 000 0069' }))
    assert.deepEqual(await peopleOfContact(database.db, sent.contactId), [known.personId])
    const [mine] = (await myReferrals(world.ctx(dsl))).items
    assert.equal(mine!.childName, 'Known Referred', 'the referrer sees what they typed, not the record')
  })

  test('only partner practitioners use the referral form', async () => {
    const worker = await world.user(['social-worker'])
    await assert.rejects(submitReferral(world.ctx(worker), referral()), AccessDenied)
    await assert.rejects(myReferrals(world.ctx(worker)), AccessDenied)
  })
})
