/**
 * The episode closure page (issue 16, item 7): it shows what is still open, refuses while a plan is
 * open (nothing changed), and closes only when the user confirms.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { cinEpisode, plan } from '../../../db/schema/index.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

/** Every in-page link of the error summary goes to an element of the page (the refusal's to its message, not to the hidden form). */
function assertSummaryLinksOnPage(page: ReturnType<typeof $>): void {
  const hrefs = page('.govuk-error-summary a').map((_, a) => page(a).attr('href')).get()
  assert.ok(hrefs.length > 0, 'the page has an error summary')
  for (const href of hrefs.filter((h) => h.startsWith('#'))) assert.equal(page(href).length, 1, `the error summary links to ${href}, which is not on the page`)
}

describe('closing an episode', () => {
  test('shows the open plan and refuses until it ends, then closes only when confirmed', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const [ep] = await database.db.insert(cinEpisode).values({
      partnershipId: world.partnershipId, caseId, referralDate: '2026-10-01', referralSource: '3B', primaryNeed: 'N1', recordedBy: worker.userId,
    }).returning()
    const [cin] = await database.db.insert(plan).values({
      partnershipId: world.partnershipId, caseId, episodeId: ep!.id, kind: 'child-in-need', startedOn: '2026-10-10', recordedBy: worker.userId,
    }).returning()
    const agent = await signedInAgent(app, worker, PASSWORD)
    const path = `/cases/${caseId}/episodes/${ep!.id}/close`
    const page = $((await agent.get(path).expect(200)).text)
    assert.match(page('[data-qa=open-work]').text(), /Child in need plan/)
    assert.match(page('[data-qa=closure-blocked]').text(), /End the child in need plan before closing the episode/)
    assert.equal(page('#close-form').length, 0)
    assertSummaryLinksOnPage(page)
    const close = { version: String(ep!.version), 'closureDate-day': '2', 'closureDate-month': '11', 'closureDate-year': '2026', closureReason: 'RC7', confirmed: 'yes' }
    const refused = await submitForm(agent, `/cases/${caseId}`, path, close)
    assert.equal(refused.status, 400)
    assert.match($(refused.text)('.govuk-error-summary').text(), /End the child in need plan/)
    assertSummaryLinksOnPage($(refused.text))
    assert.equal((await database.db.select().from(cinEpisode).where(eq(cinEpisode.id, ep!.id)))[0]!.closureDate, null)

    await database.db.update(plan).set({ endedOn: '2026-10-30' }).where(eq(plan.id, cin!.id))
    assert.equal($((await agent.get(path).expect(200)).text)('#close-form').length, 1)
    const { confirmed: _, ...unconfirmed } = close
    const asked = await submitForm(agent, path, path, unconfirmed)
    assert.equal(asked.status, 400)
    assert.match($(asked.text)('.govuk-error-summary').text(), /Confirm that you have checked/)
    const closed = await submitForm(agent, path, path, close)
    assert.equal(closed.status, 303)
    assert.equal((await database.db.select().from(cinEpisode).where(eq(cinEpisode.id, ep!.id)))[0]!.closureDate, '2026-11-02')
  })
})
