/**
 * The demo's section 11 audits, recorded through the services: the default template, a cycle two
 * years ago agreed with the police, and this year's cycle issued to the school (not answered yet,
 * so Pat Partner can answer it) and the police (submitted, for the business unit to challenge
 * and agree, and to compare with the earlier cycle).
 */
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser } from '../../db/schema/index.ts'
import { addDays, addMonths } from '../../domain/timescales/calendar/iso-date.ts'
import { DEFAULT_SECTION11_STANDARDS } from '../../domain/partnership/section11.ts'
import { loadActor } from '../access/accounts.ts'
import type { ServiceContext } from '../common/context.ts'
import { getCycle, issueCycle } from '../partnership/section11/cycles.ts'
import { agreeReturn, saveAnswers } from '../partnership/section11/returns.ts'
import { createTemplate } from '../partnership/section11/templates.ts'

export async function seedDemoSection11(db: Db, partnershipId: string, emailDomain: string, today: string, now: Date): Promise<void> {
  const ctxOf = async (localPart: string): Promise<ServiceContext> => {
    const [u] = await db.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.email, `${localPart}@${emailDomain}`)))
    const actor = u && (await loadActor(db, u.id))
    if (!actor) throw new Error('demo user missing')
    return { db, actor, now: () => now, requestId: 'demo-seed' }
  }
  const unit = await ctxOf('business.unit')
  const police = await ctxOf('police.officer')
  const school = await ctxOf('partner')
  const codes = DEFAULT_SECTION11_STANDARDS.map((s) => s.code)
  const answers = (rating: (code: string) => 'met' | 'partly-met' | 'not-met') =>
    Object.fromEntries(codes.map((c) => [c, { rating: rating(c), evidence: `Demo evidence for standard ${c} (fictional).` }]))

  const template = await createTemplate(unit, { name: 'Working Together section 11 standards', standards: [...DEFAULT_SECTION11_STANDARDS] })
  const earlierOn = addMonths(today, -25)
  const earlier = await issueCycle(unit, { templateId: template.id, name: 'Section 11 audit (demo, two years ago)', issuedOn: earlierOn, answersDueOn: addMonths(earlierOn, 2), contactUserIds: [police.actor.userId] })
  const [old] = (await getCycle(unit, earlier.id)).returns
  await saveAnswers(police, old!.id, { answers: answers(() => 'partly-met'), submit: true, version: 1 })
  await agreeReturn(unit, old!.id, { ratings: Object.fromEntries(codes.map((c) => [c, c === '4' ? 'not-met' : 'partly-met'])), version: 2 })

  const issuedOn = addDays(today, -30)
  const cycle = await issueCycle(unit, {
    templateId: template.id,
    name: 'Section 11 audit (demo)',
    issuedOn,
    answersDueOn: addDays(today, 30),
    contactUserIds: [school.actor.userId, police.actor.userId],
  })
  const current = (await getCycle(unit, cycle.id)).returns.find((r) => r.contactName === police.actor.displayName)!
  await saveAnswers(police, current.id, { answers: answers((c) => (c === '3' ? 'partly-met' : 'met')), submit: true, version: 1 })
}
