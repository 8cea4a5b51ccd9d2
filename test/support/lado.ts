/** An allegation to the designated officer (LADO) as the tests record it: fictional, referred on time, about no linked child. */
import type { LadoReferralInput } from '../../src/services/partnership/lado/input.ts'
import type { World } from './fixtures.ts'

export const ladoReferral = (world: World, over: Partial<LadoReferralInput> = {}): LadoReferralInput => ({
  knownOn: '2026-11-16',
  referredOn: '2026-11-17',
  referralLateReason: null,
  referrer: 'Head teacher (fictional)',
  subjectName: 'Alex Example (fictional)',
  subjectRole: 'Teaching assistant',
  employerAgencyId: world.agencies.school!,
  employerName: null,
  employerContactUserId: null,
  employerContactName: null,
  categories: ['harm'],
  allegation: 'Fictional allegation',
  childNhsNumber: null,
  childDescription: null,
  ...over,
})
