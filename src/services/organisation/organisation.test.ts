import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, PASSWORD, World } from '../../../test/support/fixtures.ts'
import { agency, appUser, auditEvent, session } from '../../db/schema/index.ts'
import { signInWithPassword } from '../access/accounts.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed } from '../common/context.ts'
import { agencyInput, userInput } from './organisation-input.ts'
import * as org from './organisation.ts'
import type { Role } from '../../domain/access/roles.ts'
import { grantRoles, resetPassword } from './provisioning.ts'

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
        roles: ['social-worker'],
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

  test('separation of duties: no administrator gives themselves (or anyone) the auditor or administrator role (item 4)', async () => {
    const ctx = world.ctx(admin)
    const me = await org.getUser(ctx, admin.userId)
    const mine = { displayName: me.displayName, email: me.email, agencyId: me.agencyId, teamId: me.teamId, active: true, password: undefined, version: me.version }
    await assert.rejects(
      org.updateUser(ctx, admin.userId, { ...mine, roles: ['administrator', 'auditor'] }),
      (err) => err instanceof ValidationFailed && /your own roles/.test(err.fieldErrors.roles!),
    )
    await assert.rejects(org.updateUser(ctx, admin.userId, { ...mine, roles: ['administrator', 'social-worker'] }), ValidationFailed, 'no role change of one’s own')
    const worker = await world.user(['social-worker'])
    const w = await org.getUser(ctx, worker.userId)
    const theirs = { displayName: w.displayName, email: w.email, agencyId: w.agencyId, teamId: w.teamId, active: true, password: undefined, version: w.version }
    for (const role of ['auditor', 'administrator'] as const) {
      await assert.rejects(
        org.updateUser(ctx, worker.userId, { ...theirs, roles: ['social-worker', role] }),
        (err) => err instanceof ValidationFailed && /command line/.test(err.fieldErrors.roles!),
      )
      await assert.rejects(
        org.createUser(ctx, { displayName: 'New', email: `new-${role}@test.together.invalid`, agencyId: world.agencies.council!, teamId: null, roles: [role], active: true }),
        (err) => err instanceof ValidationFailed && /command line/.test(err.fieldErrors.roles!),
      )
    }
    const [unchanged] = await database.db.select().from(appUser).where(eq(appUser.id, admin.userId))
    assert.deepEqual(unchanged!.roles, ['administrator'])
  })

  test('an auditor’s or another administrator’s password and email are not changed here; others’ resets end their sessions (items 4, 11)', async () => {
    const ctx = world.ctx(admin)
    const auditor = await world.user(['auditor'], { team: null })
    const a = await org.getUser(ctx, auditor.userId)
    const form = { displayName: a.displayName, email: a.email, agencyId: a.agencyId, teamId: a.teamId, roles: a.roles as Role[], active: true, version: a.version }
    await assert.rejects(
      org.updateUser(ctx, auditor.userId, { ...form, password: 'tide lantern orbit 57' }),
      (err) => err instanceof ValidationFailed && /command line/.test(err.fieldErrors.password!),
    )
    await assert.rejects(
      org.updateUser(ctx, auditor.userId, { ...form, email: admin.email.replace('@', '+auditor@'), password: undefined }),
      (err) => err instanceof ValidationFailed && /command line/.test(err.fieldErrors.email!),
    )
    assert.equal((await signInWithPassword(database.db, { email: auditor.email, password: PASSWORD, now: new Date() }, { maxFailures: 5, lockoutMinutes: 15 })).ok, true)

    const worker = await world.user(['social-worker'])
    const expires = new Date(Date.now() + 3600_000)
    await database.db.insert(session).values([
      { sid: `s1-${worker.userId}`, userId: worker.userId, data: { userId: worker.userId }, expiresAt: expires },
      { sid: `s2-${worker.userId}`, userId: worker.userId, data: { userId: worker.userId }, expiresAt: expires },
      { sid: `s3-${admin.userId}`, userId: admin.userId, data: { userId: admin.userId }, expiresAt: expires },
    ])
    const w = await org.getUser(ctx, worker.userId)
    await org.updateUser(ctx, worker.userId, { displayName: w.displayName, email: w.email, agencyId: w.agencyId, teamId: w.teamId, roles: w.roles as Role[], active: true, version: w.version, password: 'tide lantern orbit 57' })
    const left = await database.db.select().from(session)
    assert.ok(!left.some((r) => r.userId === worker.userId), 'every session of the user whose password was reset has ended')
    assert.ok(left.some((r) => r.userId === admin.userId), 'nobody else’s')
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, worker.userId), eq(auditEvent.action, 'user.update')))
    assert.deepEqual(entry!.detail, { fields: [], password: 'reset', sessionsEnded: 2 })
  })

  test('the command line gives the privileged roles and resets any password, audited as such', async () => {
    const worker = await world.user(['social-worker'])
    await database.db.insert(session).values({ sid: `cli-${worker.userId}`, userId: worker.userId, data: {}, expiresAt: new Date(Date.now() + 3600_000) })
    assert.deepEqual((await grantRoles(database.db, { email: worker.email.toUpperCase(), roles: ['auditor'] }, new Date())).added, ['auditor'])
    const reset = await resetPassword(database.db, { email: worker.email, password: 'tide lantern orbit 57' }, new Date())
    assert.equal(reset.sessionsEnded, 1)
    const [row] = await database.db.select().from(appUser).where(eq(appUser.id, worker.userId))
    assert.deepEqual(row!.roles, ['social-worker', 'auditor'])
    const entries = await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, worker.userId))
    assert.deepEqual(
      entries.filter((e) => e.ground === 'command-line').map((e) => [e.action, e.detail]),
      [
        ['user.roles.grant', { rolesAdded: ['auditor'] }],
        ['user.password.reset', { sessionsEnded: 1 }],
      ],
    )
    await assert.rejects(grantRoles(database.db, { email: 'nobody@test.together.invalid', roles: ['auditor'] }, new Date()), ValidationFailed)
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
    const mine = (await org.listUsers(world.ctx(admin), { offset: 0, limit: 100 })).items
    assert.ok(mine.every((u) => u.partnershipId === world.partnershipId))
    assert.ok(!mine.some((u) => u.id === otherAdmin.userId))
    await assert.rejects(org.getUser(world.ctx(admin), otherAdmin.userId), NotFound)
  })

  test('the users are listed a page at a time by name, counted in SQL', async () => {
    const other = await World.create(database.db)
    const otherAdmin = await other.user(['administrator'], { team: null })
    for (let i = 0; i < 4; i++) await other.user(['social-worker'])
    const first = await org.listUsers(other.ctx(otherAdmin), { offset: 0, limit: 3 })
    assert.deepEqual([first.items.length, first.total, first.offset, first.limit], [3, 5, 0, 3])
    const second = await org.listUsers(other.ctx(otherAdmin), { offset: 3, limit: 3 })
    assert.equal(second.items.length, 2)
    const names = [...first.items, ...second.items].map((u) => u.displayName)
    assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    assert.equal(new Set([...first.items, ...second.items].map((u) => u.id)).size, 5)
  })
})
