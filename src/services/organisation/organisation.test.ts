import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { agency, auditEvent } from '../../db/schema/index.ts'
import { signInWithPassword } from '../access/accounts.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed } from '../common/context.ts'
import { agencyInput, userInput } from './organisation-input.ts'
import * as org from './organisation.ts'

let database: TestDatabase
let world: World
let admin: Awaited<ReturnType<World['user']>>
before(async () => {
  ({ database, world } = await openTestWorld())
  admin = await world.user(['administrator'], { team: null })
})
after(() => database.close())

describe('administering agencies, teams and users', () => {
  test('an administrator adds and changes an agency; both are audited', async () => {
    const ctx = world.ctx(admin)
    const created = await org.createAgency(ctx, agencyInput.parse({ name: 'Northtown Police', type: 'police' }))
    const changed = await org.updateAgency(ctx, created.id, { name: 'Northtown Constabulary', type: 'police', active: true, version: 1 })
    assert.equal(changed.version, 2)
    const entries = await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, created.id))
    assert.deepEqual(
      entries.map((e) => [e.action, e.ground, (e.detail as { fields?: string[] }).fields ?? null]),
      [
        ['agency.create', 'role:administrator', null],
        ['agency.update', 'role:administrator', ['name']],
      ],
    )
  })

  test('a stale version is a conflict, and nothing is overwritten', async () => {
    const ctx = world.ctx(admin)
    const a = await org.createAgency(ctx, { name: 'Conflict Housing', type: 'housing', active: true })
    await org.updateAgency(ctx, a.id, { name: 'Conflict Housing Ltd', type: 'housing', active: true, version: 1 })
    await assert.rejects(
      org.updateAgency(ctx, a.id, { name: 'Lost update', type: 'housing', active: true, version: 1 }),
      EditConflict,
    )
    const [row] = await database.db.select().from(agency).where(eq(agency.id, a.id))
    assert.equal(row!.name, 'Conflict Housing Ltd')
  })

  test('duplicate names are refused with a message for the field', async () => {
    const ctx = world.ctx(admin)
    await org.createAgency(ctx, { name: 'Unique Trust', type: 'health-trust', active: true })
    await assert.rejects(org.createAgency(ctx, { name: 'unique trust', type: 'health-trust', active: true }), (err) => {
      assert.ok(err instanceof ValidationFailed)
      assert.equal(err.fieldErrors.name, 'An agency with this name already exists')
      return true
    })
  })

  test('teams belong to an agency of the same partnership', async () => {
    const ctx = world.ctx(admin)
    const other = await World.create(database.db)
    await assert.rejects(
      org.createTeam(ctx, { name: 'Sneaky team', agencyId: other.agencies.council!, active: true }),
      ValidationFailed,
    )
    const t = await org.createTeam(ctx, { name: 'Early help', agencyId: world.agencies.council!, active: true })
    assert.equal((await org.getTeam(ctx, t.id)).name, 'Early help')
    await assert.rejects(org.getTeam(world.ctx(admin), other.teams.assessment!), NotFound)
  })

  test('a user is created with a hashed password and can then sign in', async () => {
    const ctx = world.ctx(admin)
    const input = userInput.parse({
      displayName: 'New Worker',
      email: 'New.Worker@Test.Together.invalid',
      agencyId: world.agencies.council,
      teamId: world.teams.assessment,
      roles: 'social-worker',
      password: 'a long enough password',
    })
    const u = await org.createUser(ctx, input)
    const stored = await org.getUser(ctx, u.id)
    assert.equal(stored.email, 'new.worker@test.together.invalid')
    assert.deepEqual(stored.roles, ['social-worker'])
    assert.equal(stored.hasPassword, true)
    assert.equal('passwordHash' in stored, false, 'the hash never leaves the service')
    const signIn = await signInWithPassword(
      database.db,
      { email: 'new.worker@test.together.invalid', password: 'a long enough password', now: new Date() },
      { maxFailures: 5, lockoutMinutes: 15 },
    )
    assert.deepEqual(signIn, { ok: true, userId: u.id })
  })

  test('user input is checked: email format, at least one role, team of the same agency, unique email', async () => {
    const bad = userInput.safeParse({ displayName: '', email: 'not-an-email', agencyId: 'x', roles: [] })
    assert.equal(bad.success, false)
    const fields = new Set(bad.error!.issues.map((i) => i.path[0]))
    assert.deepEqual([...fields].sort(), ['agencyId', 'displayName', 'email', 'roles'])
    const ctx = world.ctx(admin)
    await assert.rejects(
      org.createUser(ctx, {
        displayName: 'Wrong team',
        email: 'wrong.team@test.together.invalid',
        agencyId: world.agencies.school!,
        teamId: world.teams.assessment!,
        roles: ['partner-practitioner'],
        active: true,
        password: undefined,
      }),
      (err) => err instanceof ValidationFailed && err.fieldErrors.teamId !== undefined,
    )
    await assert.rejects(
      org.createUser(ctx, {
        displayName: 'Duplicate',
        email: admin.email,
        agencyId: world.agencies.council!,
        teamId: null,
        roles: ['auditor'],
        active: true,
        password: undefined,
      }),
      (err) => err instanceof ValidationFailed && err.fieldErrors.email === 'A user with this email address already exists',
    )
  })

  test('an administrator cannot remove their own administrator role or deactivate themselves', async () => {
    const ctx = world.ctx(admin)
    const me = await org.getUser(ctx, admin.userId)
    await assert.rejects(
      org.updateUser(ctx, admin.userId, {
        displayName: me.displayName,
        email: me.email,
        agencyId: me.agencyId,
        teamId: me.teamId,
        roles: ['auditor'],
        active: true,
        password: undefined,
        version: me.version,
      }),
      ValidationFailed,
    )
  })

  test('nobody but an administrator may administer', async () => {
    for (const role of ['social-worker', 'auditor', 'team-manager'] as const) {
      const ctx = world.ctx(await world.user([role]))
      await assert.rejects(org.createAgency(ctx, { name: `By ${role}`, type: 'police', active: true }), AccessDenied)
      await assert.rejects(org.listUsers(ctx), AccessDenied)
    }
  })

  test('an administrator sees only their own partnership', async () => {
    const other = await World.create(database.db)
    const otherAdmin = await other.user(['administrator'], { team: null })
    const mine = await org.listUsers(world.ctx(admin))
    assert.ok(mine.every((u) => u.partnershipId === world.partnershipId))
    assert.ok(!mine.some((u) => u.id === otherAdmin.userId))
    await assert.rejects(org.getUser(world.ctx(admin), otherAdmin.userId), NotFound)
  })
})
