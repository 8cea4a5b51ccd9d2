/**
 * An allegation to the designated officer (LADO) as the tests record it: fictional, referred on
 * time, about no linked child, at an employer named in words (a test of an agency as the employer
 * passes employerAgencyId and employerName: null).
 */
import type { LadoReferralInput } from '../../src/services/partnership/lado/input.ts'

export const ladoReferral = (over: Partial<LadoReferralInput> = {}): LadoReferralInput => ({
  knownOn: '2026-11-16',
  referredOn: '2026-11-17',
  referralLateReason: null,
  referrer: 'Head teacher (fictional)',
  subjectName: 'Alex Example (fictional)',
  subjectRole: 'Teaching assistant',
  employerAgencyId: null,
  employerName: 'Hill Primary (fictional)',
  employerContactUserId: null,
  employerContactName: null,
  categories: ['harm'],
  allegation: 'Fictional allegation',
  childNhsNumber: null,
  childDescription: null,
  ...over,
})
