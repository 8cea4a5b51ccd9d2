/**
 * Separation of duties on the pages (issue 15, item 4): an administrator cannot give themselves
 * the auditor role; the command line can, and auditors see every change to accounts and roles.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { openTestWorld, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, createTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { appUser } from '../../../db/schema/index.ts'
import { grantRoles } from '../../../services/organisation/provisioning.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => {
  ({ database, world } = await openTestWorld())
  app = await createTestApp(database)
})
after(() => database.close())

test('an administrator cannot make themselves auditor through the pages; the command line’s grant is shown to auditors', async () => {
  const admin = await world.user(['administrator'], { team: null })
  const auditor = await world.user(['auditor'], { team: null })
  const agent = await signedInAgent(app, admin, PASSWORD)
  const form = await agent.get(`/admin/users/${admin.userId}`).expect(200)
  const values = $(form.text)
  const res = await submitForm(agent, `/admin/users/${admin.userId}`, `/admin/users/${admin.userId}`, {
    displayName: String(values('#displayName').val()),
    email: String(values('#email').val()),
    agencyId: String(values('#agencyId').val()),
    teamId: '',
    roles: ['administrator', 'auditor'],
    active: 'true',
    password: '',
    version: String(values('input[name=version]').val()),
  })
  assert.equal(res.status, 400)
  assert.match(res.text, /You cannot change your own roles/)
  const [row] = await database.db.select().from(appUser).where(eq(appUser.id, admin.userId))
  assert.deepEqual(row!.roles, ['administrator'])
  await agent.get('/audit/accounts').expect(403)

  const worker = await world.user(['social-worker'])
  await grantRoles(database.db, { email: worker.email, roles: ['auditor'] }, new Date())
  const page = await (await signedInAgent(app, auditor, PASSWORD)).get('/audit/accounts').expect(200)
  const rows = $(page.text)('[data-qa=account-changes] tbody tr').map((_, tr) => $(page.text)(tr).text().replace(/\s+/g, ' ').trim()).get()
  assert.ok(rows.some((r) => r.includes('Command line') && r.includes('user.roles.grant') && r.includes(worker.displayName) && r.includes('Roles given: auditor')), rows.join('\n'))
})
