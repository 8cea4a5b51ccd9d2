/**
 * Demo records for the partnership's restricted work, recorded through the services: an
 * allegation in progress (the designated officer's team, after a strategy meeting) and a
 * domestic abuse related death review with its decision, chair and first panel meeting. All
 * fictional; dates relative to the demo's today.
 */
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser } from '../../db/schema/index.ts'
import { addDays } from '../../domain/timescales/calendar/iso-date.ts'
import { loadActor } from '../access/accounts.ts'
import type { ServiceContext } from '../common/context.ts'
import { addDarTimelineEntry, appointDarChair, recordDarDecision, recordDarReview } from '../partnership/dar-reviews.ts'
import { addLadoMeeting, recordLadoReferral } from '../partnership/lado/cases.ts'

export async function seedDemoLadoAndDar(db: Db, partnershipId: string, emailDomain: string, today: string, now: Date): Promise<void> {
  const ctxOf = async (localPart: string): Promise<ServiceContext> => {
    const [u] = await db.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.email, `${localPart}@${emailDomain}`)))
    const actor = u ? await loadActor(db, u.id) : null
    if (!actor) throw new Error(`demo user ${localPart} missing`)
    return { db, actor, now: () => now, requestId: 'demo-seed' }
  }
  const ago = (days: number) => addDays(today, -days)
  const officer = await ctxOf('lado')
  const unit = await ctxOf('business.unit')

  // An allegation about a volunteer football coach; the club is not an agency in Together.
  const lado = await recordLadoReferral(officer, {
    knownOn: ago(12),
    referredOn: ago(12),
    referralLateReason: null,
    referrer: 'Club welfare officer (fictional)',
    subjectName: 'Jordan Sample (fictional)',
    subjectRole: 'Volunteer football coach',
    employerAgencyId: null,
    employerName: 'Demoshire Juniors Football Club (fictional)',
    employerContactUserId: null,
    employerContactName: 'Casey Welfare, club welfare officer (fictional)',
    categories: ['risk', 'suitability'],
    allegation: 'Sent private messages to a player late at night asking them to keep them secret (fictional).',
    childNhsNumber: '9990000018',
    childDescription: 'A player in the under-12s team',
  })
  await addLadoMeeting(officer, lado.id, {
    kind: 'strategy',
    heldOn: ago(10),
    attendees: 'Designated officer, police, children’s social care, club welfare officer (all fictional)',
    decisions: 'Police to assess the messages; the club to stand the coach down from coaching meanwhile; the designated officer tells the parents.',
  })

  // A death by suicide where there was domestic abuse, under review.
  const dar = await recordDarReview(unit, {
    cspName: 'Demoshire Community Safety Partnership (fictional)',
    deceased: 'Adult A',
    deceasedAge: 38,
    deathOn: ago(75),
    notifiedOn: ago(70),
    suicide: true,
    circumstances: 'Death by suicide; the family describe years of coercive control by a former partner (fictional).',
  })
  const decided = await recordDarDecision(unit, dar.id, {
    decision: 'review',
    decisionReasons: 'The death appears to have followed domestic abuse, including coercive control.',
    decidedOn: ago(50),
    decisionNotifiedOn: ago(49),
    version: dar.version,
  })
  const chaired = await appointDarChair(unit, dar.id, { chair: 'Independent chair (fictional)', chairAppointedOn: ago(40), scope: 'The five years before the death.', version: decided.version })
  await addDarTimelineEntry(unit, dar.id, { entryOn: ago(20), entry: 'First panel meeting', version: chaired.version })
}
