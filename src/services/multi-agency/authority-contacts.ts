/**
 * The responsible authorities' contacts that the child protection status check gives a clinician:
 * each children's social care agency's day-time duty line and its out-of-hours service. The
 * partnership's administrator sets them (`organisation:manage`); each change is audited.
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, agencyContactDetails } from '../../db/schema/index.ts'
import { audit } from '../access/audit.ts'
import { EditConflict, NotFound, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import type { AuthorityContactsInput } from './authority-contacts-input.ts'

/** The agency type that is a responsible authority for a child's case. */
const AUTHORITY_TYPE = 'la-childrens-social-care'

export interface AuthorityContacts {
  agencyId: string
  agencyName: string
  phone: string | null
  email: string | null
  hours: string | null
  outOfHoursPhone: string | null
  outOfHoursEmail: string | null
  /** The version to name when changing them (1 before anything was set). */
  version: number
}

function mayManage(ctx: ServiceContext): void {
  requireGeneral(ctx, 'organisation:manage', 'Only an administrator sets the authorities’ contacts.')
}

async function contactsOf(db: Db, partnershipId: string, agencyId?: string): Promise<AuthorityContacts[]> {
  const rows = await db
    .select({
      agencyId: agency.id,
      agencyName: agency.name,
      phone: agencyContactDetails.phone,
      email: agencyContactDetails.email,
      hours: agencyContactDetails.hours,
      outOfHoursPhone: agencyContactDetails.outOfHoursPhone,
      outOfHoursEmail: agencyContactDetails.outOfHoursEmail,
      version: agencyContactDetails.version,
    })
    .from(agency)
    .leftJoin(agencyContactDetails, eq(agencyContactDetails.agencyId, agency.id))
    .where(and(eq(agency.partnershipId, partnershipId), eq(agency.type, AUTHORITY_TYPE), eq(agency.active, true), agencyId ? eq(agency.id, agencyId) : undefined))
    .orderBy(asc(agency.name))
  return rows.map((r) => ({ ...r, version: r.version ?? 1 }))
}

/** Every children's social care agency of the partnership with its contacts. */
export async function listAuthorityContacts(ctx: ServiceContext): Promise<AuthorityContacts[]> {
  mayManage(ctx)
  return contactsOf(ctx.db, ctx.actor.partnershipId)
}

/** One authority's contacts; NotFound for an agency that is not a children's social care agency of the partnership. */
export async function getAuthorityContacts(ctx: ServiceContext, agencyId: string): Promise<AuthorityContacts> {
  mayManage(ctx)
  const [row] = await contactsOf(ctx.db, ctx.actor.partnershipId, agencyId)
  if (!row) throw new NotFound('No children’s social care agency with that id')
  return row
}

/** Sets one authority's contacts, at the version read (EditConflict when someone changed them since). */
export async function setAuthorityContacts(ctx: ServiceContext, agencyId: string, input: AuthorityContactsInput): Promise<AuthorityContacts> {
  mayManage(ctx)
  const { version, ...values } = input
  return ctx.db.transaction(async (tx) => {
    const [current] = await contactsOf(tx, ctx.actor.partnershipId, agencyId)
    if (!current) throw new NotFound('No children’s social care agency with that id')
    if (current.version !== version) throw new EditConflict('Someone else changed these contacts after you opened them. Nothing has been saved.', { ...current })
    await tx
      .insert(agencyContactDetails)
      .values({ agencyId, partnershipId: ctx.actor.partnershipId, ...values, updatedAt: ctx.now(), version: 2 }) // no row reads as version 1
      .onConflictDoUpdate({ target: agencyContactDetails.agencyId, set: { ...values, updatedAt: ctx.now(), version: sql`${agencyContactDetails.version} + 1` } })
    await audit(ctx, tx, {
      action: 'authority-contacts.update',
      recordType: 'agency',
      recordId: agencyId,
      detail: { fields: Object.keys(values).filter((k) => values[k as keyof typeof values] !== current[k as keyof typeof values]) },
    })
    const [saved] = await contactsOf(tx, ctx.actor.partnershipId, agencyId)
    return saved!
  })
}
