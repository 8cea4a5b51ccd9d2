/**
 * A strategy discussion as a multi-agency record (issue 17 §5), in Chromium, on Eve Pretendson
 * (demo): the social worker invites the health visitor to a strategy discussion held today, records
 * it and gives health an action agreed at it (through the services); the health visitor opens the
 * discussion from her participation view, sees its decision and the action, adds her agency's
 * information and records progress on the action; the social worker sees both on the
 * discussion's record. Every page is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eq } from 'drizzle-orm'
import { appUser } from '../../src/db/schema/index.ts'
import { recordStrategyDiscussion } from '../../src/services/journey/strategy-discussions.ts'
import { inviteToStrategyDiscussion } from '../../src/services/multi-agency/participation.ts'
import { agreeStrategyAction } from '../../src/services/multi-agency/strategy-participation.ts'
import { demoCase, demoServiceContext, demoUser, fillDate, isoToday, mainText, sendForm, startBrowserApp, type BrowserApp } from './support.ts'

const VISITOR = 'health.visitor@demo.together.invalid'

let app: BrowserApp
let eveCase = ''
let discussionId = ''

before(async () => {
  app = await startBrowserApp()
  eveCase = (await demoCase(app, 'Eve', 'Pretendson')).caseId
  const db = app.running.database.db
  const [hana] = await db.select({ id: appUser.id, agencyId: appUser.agencyId }).from(appUser).where(eq(appUser.email, VISITOR))
  assert.ok(hana, 'the demo health visitor')
  const sw = await demoServiceContext(app, 'social-worker')
  const today = isoToday()
  await inviteToStrategyDiscussion(sw, eveCase, { userId: hana.id, meetingOn: today, meetingTime: '00:05', purpose: 'Bruising the nursery reported (fictional)' })
  const { strategyDiscussion } = await recordStrategyDiscussion(sw, eveCase, {
    heldOn: today,
    heldAtTime: '00:05',
    attendees: [],
    requiredAgencyAbsenceReason: 'Held by telephone; agencies consulted separately (fictional).',
    informationShared: 'Not for the partner page (fictional).',
    decision: 'no-s47',
    decisionDetail: 'Continue under the child protection plan.',
    immediateSafetyActions: 'Health visitor to see Eve at home (fictional).',
  } as never)
  discussionId = strategyDiscussion.id
  await agreeStrategyAction(sw, eveCase, discussionId, { description: 'Health visitor to weigh Eve this week (fictional)', ownerAgencyId: hana.agencyId!, ownerUserId: hana.id })
})
after(async () => {
  await app?.close()
})

test('the health visitor sees the decision, adds her agency’s information and updates her action; the social worker sees both', async () => {
  const page = await app.newPage()
  await app.signIn(page, VISITOR)
  await page.goto(`/cases/${eveCase}/participation`)
  await page.getByRole('link', { name: /See its decision and actions, and your agency’s information/ }).click()
  assert.match(new URL(page.url()).pathname, /\/participation\/strategy-discussions\//)
  const before_ = await mainText(page)
  assert.match(before_, /No section 47 enquiry/)
  assert.match(before_, /Health visitor to weigh Eve this week/)
  assert.doesNotMatch(before_, /Not for the partner page/)
  await app.expectAccessible(page, 'partner: strategy discussion')

  // An empty save is an error on the field; then the information is saved.
  await page.getByRole('button', { name: 'Save your agency’s information' }).click()
  assert.match(await page.locator('.govuk-error-summary').innerText(), /what your agency knows/i)
  await app.expectAccessible(page, 'partner: strategy discussion, error')
  await page.getByLabel('What your agency knows').fill('Weighed last week: on the 9th centile (fictional).')
  await sendForm(page, page.getByRole('button', { name: 'Save your agency’s information' }))
  assert.match(await mainText(page), /information has been saved[\s\S]*Added by Hana Visitor/)
  await app.expectAccessible(page, 'partner: strategy discussion, saved')

  // Progress on the agency's action, through the plan action form.
  await page.getByRole('link', { name: /Update progress/ }).click()
  await app.expectAccessible(page, 'partner: action progress')
  await page.getByLabel('In progress').check()
  await page.getByLabel('What has been done').fill('Visit booked for Thursday (fictional).')
  await fillDate(page, 'progressOn', isoToday())
  await sendForm(page, page.getByRole('button', { name: 'Record progress' }))
  assert.match(await mainText(page), /Progress recorded/)

  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eveCase}/strategy-discussions/${discussionId}`)
  const record = await mainText(worker)
  assert.match(record, /9th centile[\s\S]*Added by Hana Visitor/)
  assert.match(record, /Visit booked for Thursday[\s\S]*In progress/)
  await app.expectAccessible(worker, 'social worker: strategy discussion record')
})
