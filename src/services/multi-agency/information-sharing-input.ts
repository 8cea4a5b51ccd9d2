/**
 * A record of a decision to share personal information out of Together, or not to share it
 * (working-together.md §4.5): what, with whom, why, the UK GDPR Article 6 basis, the Article 9 /
 * DPA 2018 Schedule 1 condition for special category data, consent, and who decided. Urgent
 * sharing is never blocked: an urgent share may be recorded before its basis is settled.
 */
import { z } from 'zod'

export const ARTICLE_6_BASIS = [
  { code: 'public-task', label: 'Article 6(1)(e) public task' },
  { code: 'legal-obligation', label: 'Article 6(1)(c) legal obligation' },
  { code: 'vital-interests', label: 'Article 6(1)(d) vital interests' },
  { code: 'consent', label: 'Article 6(1)(a) consent' },
  { code: 'legitimate-interests', label: 'Article 6(1)(f) legitimate interests (not for public authorities’ official tasks)' },
] as const

export const ARTICLE_9_CONDITION = [
  { code: 'safeguarding-children', label: 'Article 9(2)(g) with DPA 2018 Schedule 1 paragraph 18: safeguarding of children and individuals at risk' },
  { code: 'health-social-care', label: 'Article 9(2)(h) with Schedule 1 paragraph 2: health or social care' },
  { code: 'statutory-purposes', label: 'Article 9(2)(g) with Schedule 1 paragraph 6: statutory and government purposes' },
  { code: 'vital-interests', label: 'Article 9(2)(c) vital interests' },
  { code: 'explicit-consent', label: 'Article 9(2)(a) explicit consent' },
] as const

export const SHARE_CONSENT = [
  { code: 'given', label: 'Consent given' },
  { code: 'refused', label: 'Consent refused' },
  { code: 'not-sought', label: 'Consent not sought' },
] as const

const codes = <T extends readonly { code: string }[]>(set: T) => set.map((c) => c.code) as [T[number]['code'], ...T[number]['code'][]]
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const text = (what: string, max = 5_000) => z.string({ error: `Enter ${what}` }).trim().min(1, `Enter ${what}`).max(max, `The text must be ${max} characters or fewer`)
const optionalText = (max = 5_000) => z.preprocess(blank, z.string().trim().max(max, `The text must be ${max} characters or fewer`).optional())
const yesNo = z.preprocess((v) => (v === undefined || v === '' ? 'no' : v), z.enum(['yes', 'no'])).transform((v) => v === 'yes')

export const shareDecisionInput = z
  .object({
    decision: z.enum(['shared', 'not-shared'], { error: 'Select whether you shared the information' }),
    decidedOn: z.iso.date({ error: 'Enter the date of the decision' }),
    information: text('what information was shared, or asked for'),
    recipientAgencyId: z.preprocess(blank, z.uuid({ error: 'Select an agency from the list' }).optional()),
    recipient: text('who the information was shared with (or asked for it)', 300),
    purpose: text('why'),
    article6Basis: z.preprocess(blank, z.enum(codes(ARTICLE_6_BASIS), { error: 'Select the Article 6 lawful basis' }).optional()),
    specialCategory: yesNo,
    article9Condition: z.preprocess(blank, z.enum(codes(ARTICLE_9_CONDITION), { error: 'Select the Article 9 condition' }).optional()),
    consent: z.enum(codes(SHARE_CONSENT), { error: 'Select whether consent was given, refused or not sought' }),
    consentReason: optionalText(2_000),
    method: optionalText(300),
    adviceSought: optionalText(2_000),
    urgent: yesNo,
  })
  .superRefine((s, issues) => {
    // Urgent sharing is not held up by the paperwork: its basis can follow.
    if (s.decision === 'shared' && !s.urgent && !s.article6Basis) {
      issues.addIssue({ code: 'custom', path: ['article6Basis'], message: 'Select the Article 6 lawful basis you shared under (or mark the share as urgent and record it as soon as you can)' })
    }
    if (s.decision === 'shared' && s.specialCategory && !s.urgent && !s.article9Condition) {
      issues.addIssue({ code: 'custom', path: ['article9Condition'], message: 'Select the Article 9 condition for special category data' })
    }
    if (s.consent !== 'given' && !s.consentReason) {
      issues.addIssue({ code: 'custom', path: ['consentReason'], message: 'Explain why consent was refused or not sought, and why you went ahead or did not' })
    }
  })

export type ShareDecisionInput = z.infer<typeof shareDecisionInput>

/**
 * The lawful basis of an urgent share recorded without it ("Basis to be recorded"), completed
 * later at the version read: the Article 6 basis, and the Article 9 condition when the share
 * included special category data.
 */
export const shareBasisInput = z
  .object({
    version: z.coerce.number({ error: 'The form is out of date: reload the page' }).int().min(1),
    article6Basis: z.preprocess(blank, z.enum(codes(ARTICLE_6_BASIS), { error: 'Select the Article 6 lawful basis you shared under' })),
    specialCategory: yesNo,
    article9Condition: z.preprocess(blank, z.enum(codes(ARTICLE_9_CONDITION), { error: 'Select the Article 9 condition' }).optional()),
  })
  .superRefine((s, issues) => {
    if (s.specialCategory && !s.article9Condition) {
      issues.addIssue({ code: 'custom', path: ['article9Condition'], message: 'Select the Article 9 condition for special category data' })
    }
  })

export type ShareBasisInput = z.infer<typeof shareBasisInput>
