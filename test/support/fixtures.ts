/**
 * Builders for test data: a partnership with its own agencies, teams, users and cases, all with
 * unique names and addresses so tests can share one database without clashing.
 */
import { randomBytes } from 'node:crypto'
import type { Db } from '../../src/db/connection.ts'
import { createTestDatabase, type TestDatabase } from './database.ts'
import { eq } from 'drizzle-orm'
import { accessGrant, agency, appUser, caseInvolvement, childCase, partnership, person, team } from '../../src/db/schema/index.ts'
import type { Role } from '../../src/domain/access/roles.ts'
import type { AgencyType } from '../../src/domain/organisation/agency-types.ts'
import { loadActor } from '../../src/services/access/accounts.ts'
import type { Actor, ServiceContext } from '../../src/services/common/context.ts'
import { insertUser } from '../../src/services/organisation/organisation.ts'
import { hashPassword } from '../../src/services/access/passwords.ts'

export const PASSWORD = 'correct horse battery'

// argon2id takes tens of milliseconds by design, and a test run makes thousands of users with the
// same password: hash it once per process (each user's hash then shares one salt, which only
// tests do).
let passwordHash: Promise<string> | undefined
const testPasswordHash = () => (passwordHash ??= hashPassword(PASSWORD))
export const FIXED_NOW = new Date('2026-11-20T10:00:00Z')

const unique = () => randomBytes(4).toString('hex')

export class World {
  readonly agencies: Record<string, string> = {}
  readonly teams: Record<string, string> = {}

  private constructor(
    readonly db: Db,
    readonly partnershipId: string,
  ) {}

  static async create(db: Db, name = `Test partnership ${unique()}`): Promise<World> {
    const [p] = await db.insert(partnership).values({ name }).returning({ id: partnership.id })
    const world = new World(db, p!.id)
    await world.agency('council', 'la-childrens-social-care')
    await world.agency('school', 'education')
    await world.agency('police', 'police')
    await world.team('assessment', 'council')
    await world.team('front-door', 'council')
    return world
  }

  async agency(key: string, type: AgencyType): Promise<string> {
    const [a] = await this.db
      .insert(agency)
      .values({ partnershipId: this.partnershipId, name: `${key} ${unique()}`, type })
      .returning({ id: agency.id })
    this.agencies[key] = a!.id
    return a!.id
  }

  async team(key: string, agencyKey: string): Promise<string> {
    const [t] = await this.db
      .insert(team)
      .values({ partnershipId: this.partnershipId, agencyId: this.agencies[agencyKey]!, name: `${key} ${unique()}` })
      .returning({ id: team.id })
    this.teams[key] = t!.id
    return t!.id
  }

  /** A user with the given roles; their email is returned on the actor's displayName's side. */
  async user(
    roles: Role[],
    options: { agency?: string; team?: string | null; password?: string | null; active?: boolean } = {},
  ): Promise<Actor & { email: string }> {
    const email = `${roles[0]}-${unique()}@test.together.invalid`
    const teamKey = options.team === undefined ? 'assessment' : options.team
    const u = await insertUser(this.db, this.partnershipId, {
      displayName: `Test ${roles.join(' ')} ${unique()}`,
      email,
      agencyId: this.agencies[options.agency ?? 'council']!,
      teamId: teamKey ? this.teams[teamKey]! : null,
      roles,
      active: options.active ?? true,
      password: options.password === null || options.password === undefined ? undefined : options.password,
    })
    if (options.password === undefined) await this.db.update(appUser).set({ passwordHash: await testPasswordHash() }).where(eq(appUser.id, u.id))
    const actor = options.active === false ? null : await loadActor(this.db, u.id)
    return {
      ...(actor ?? {
        userId: u.id,
        partnershipId: this.partnershipId,
        agencyId: this.agencies[options.agency ?? 'council']!,
        teamId: null,
        displayName: '',
        roles,
        active: false,
      }),
      email,
    }
  }

  async childCase(
    options: { team?: string; worker?: string | null; restricted?: boolean; givenName?: string; familyName?: string } = {},
  ): Promise<{ caseId: string; personId: string }> {
    const [p] = await this.db
      .insert(person)
      .values({
        partnershipId: this.partnershipId,
        givenName: options.givenName ?? 'Testy',
        familyName: options.familyName ?? `Child${unique()}`,
        dateOfBirth: '2016-05-04',
        nhsNumber: '9990000050',
        restricted: false,
      })
      .returning({ id: person.id })
    const [c] = await this.db
      .insert(childCase)
      .values({
        partnershipId: this.partnershipId,
        personId: p!.id,
        teamId: this.teams[options.team ?? 'assessment']!,
        allocatedWorkerId: options.worker ?? null,
        status: 'assessment',
        openedOn: '2026-10-01',
        restricted: options.restricted ?? false,
      })
      .returning({ id: childCase.id })
    return { caseId: c!.id, personId: p!.id }
  }

  async involve(caseId: string, agencyKey: string, startedOn = '2026-10-01', endedOn: string | null = null) {
    await this.db.insert(caseInvolvement).values({
      partnershipId: this.partnershipId,
      caseId,
      agencyId: this.agencies[agencyKey]!,
      role: 'involved',
      startedOn,
      endedOn,
    })
  }

  async grant(caseId: string, userId: string, kind: 'invitation' | 'addressed-request' | 'explicit-permission', endsAt: Date | null = null) {
    await this.db.insert(accessGrant).values({
      partnershipId: this.partnershipId,
      caseId,
      userId,
      kind,
      reason: 'test',
      startsAt: new Date('2026-01-01T00:00:00Z'),
      endsAt,
    })
  }

  ctx(actor: Actor, now: Date = FIXED_NOW): ServiceContext {
    return { db: this.db, actor, requestId: `test-${unique()}`, now: () => now }
  }
}

/** A test file's database with a World on it: open it in the file's `before`, close it in `after`. */
export async function openTestWorld(): Promise<{ database: TestDatabase; world: World }> {
  const database = await createTestDatabase()
  return { database, world: await World.create(database.db) }
}
