/**
 * Sharing a version of a document with a partner agency (docs/documents.md, "Sharing with a partner
 * agency"): the agency, why, the UK GDPR Article 6 basis, the Article 9 condition when it holds
 * special category data, and consent — what the information sharing ledger keeps for every share.
 */
import { z } from 'zod'
import { codesOf } from '../../domain/journey/dfe-codes.ts'
import { optionalText, requiredText } from '../common/fields-input.ts'
import { ARTICLE_6_BASIS, ARTICLE_9_CONDITION, SHARE_CONSENT } from '../multi-agency/information-sharing-input.ts'

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

export const documentShareInput = z
  .object({
    versionId: z.uuid({ error: 'Select the version to share' }),
    agencyId: z.uuid({ error: 'Select the agency to share it with' }),
    purpose: requiredText('why you are sharing it', 2_000),
    article6Basis: z.enum(codesOf(ARTICLE_6_BASIS), { error: 'Select the Article 6 lawful basis you are sharing under' }),
    specialCategory: z.preprocess((v) => (v === undefined || v === '' ? 'no' : v), z.enum(['yes', 'no'])).transform((v) => v === 'yes'),
    article9Condition: z.preprocess(blank, z.enum(codesOf(ARTICLE_9_CONDITION), { error: 'Select the Article 9 condition' }).optional()),
    consent: z.enum(codesOf(SHARE_CONSENT), { error: 'Select whether consent was given, refused or not sought' }),
    consentReason: optionalText('why consent was refused or not sought', 2_000).default(null),
  })
  .superRefine((s, issues) => {
    if (s.specialCategory && !s.article9Condition) issues.addIssue({ code: 'custom', path: ['article9Condition'], message: 'Select the Article 9 condition for special category data' })
    if (s.consent !== 'given' && !s.consentReason) {
      issues.addIssue({ code: 'custom', path: ['consentReason'], message: 'Explain why consent was refused or not sought, and why you are sharing' })
    }
  })

export type DocumentShareInput = z.infer<typeof documentShareInput>
