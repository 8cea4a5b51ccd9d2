/** The Reports page and the menu over HTTP: each role sees the reports it can open, and the header and footer hold what left the menu. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signIn, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp

before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

async function page(roles: Parameters<World['user']>[0], path: string) {
  const user = await world.user(roles, { team: null })
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  return $((await agent.get(path).expect(200)).text)
}

const links = (html: ReturnType<typeof $>, selector: string) =>
  html(selector)
    .map((_, a) => html(a).attr('href'))
    .get()

describe('reports', () => {
  test('each role sees the reports its roles can open, and the menu has Reports only for them', async () => {
    const manager = await page(['team-manager'], '/reports')
    assert.deepEqual(links(manager, '[data-qa=reports] a'), ['/information-requests/dashboard', '/information-sharing', '/subject-access'])
    assert.equal(manager('nav[aria-label=Menu] a[href="/reports"]').attr('aria-current'), 'true')
    const auditor = await page(['auditor'], '/reports')
    assert.deepEqual(links(auditor, '[data-qa=reports] a'), ['/information-sharing', '/subject-access'])
    const frontDoor = await page(['front-door-practitioner'], '/reports')
    assert.deepEqual(links(frontDoor, '[data-qa=reports] a'), ['/information-requests/dashboard'])

    const worker = await page(['social-worker'], '/reports')
    assert.equal(worker('[data-qa=reports]').length, 0)
    assert.match(worker('[data-qa=no-reports]').text(), /no reports for your role/)
    assert.equal(worker('nav[aria-label=Menu] a[href="/reports"]').length, 0)
  })

  test('signed out, the page asks for sign-in', async () => {
    const res = await app.agent().get('/reports').expect(302)
    assert.match(String(res.headers.location), /^\/sign-in/)
  })

  test('the header names the service once and holds the account links; the footer the reference pages', async () => {
    const home = await page(['team-manager'], '/')
    assert.equal(home('header').text().match(/Together/g)?.length, 1)
    assert.deepEqual(links(home, 'header nav[aria-label="Your account"] a'), ['/notifications', '/account/password'])
    assert.deepEqual(links(home, 'footer nav[aria-label=Reference] a'), ['/directory', '/timescales'])
    for (const href of ['/notifications', '/directory', '/timescales', '/information-requests/dashboard', '/information-sharing']) {
      assert.equal(home(`nav[aria-label=Menu] a[href="${href}"]`).length, 0, `${href} is not in the menu`)
    }
    const signedOut = $((await app.agent().get('/sign-in').expect(200)).text)
    assert.equal(signedOut('header').text().match(/Together/g)?.length, 1)
    assert.equal(signedOut('footer nav[aria-label=Reference]').length, 0)
  })
})
