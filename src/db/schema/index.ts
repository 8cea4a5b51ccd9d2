/**
 * The database schema. Every table carries `partnership_id` (the tenant key) so the schema can be
 * distributed by partnership without redesign. Calendar dates are `date` in string mode
 * ('YYYY-MM-DD'); instants are `timestamptz`. The tables are split by capability into the files
 * re-exported here; their shared column helpers are in common.ts. drizzle-kit reads this file.
 */
export * from './organisation.ts'
export * from './access.ts'
export * from './journey.ts'
export * from './multi-agency.ts'
export * from './person-index.ts'
export * from './partnership.ts'
export * from './returns.ts'
export * from './records.ts'
export * from './retention.ts'
export * from './subject-access.ts'
export * from './letters.ts'
export * from './body-maps.ts'
export * from './care.ts'
export * from './missing-episodes.ts'
export * from './health-education.ts'
export * from './care-leavers.ts'
export * from './care-plans.ts'

import { partnership, agency, team } from './organisation.ts'
import { appUser, session, caseInvolvement, accessGrant, caseRestriction, auditEvent, auditChainHead, apiToken, instanceSetting } from './access.ts'
import { person, childCase, contact, contactChild, cinEpisode, assessment, strategyDiscussion, section47Enquiry, plan, planItem, conference, coreGroupMeeting, caseNote, lookedAfterPeriod, preProceedings, clock, task, draft, personRelationship, recordRevision, emergencyProtection, earlyHelpAssessment } from './journey.ts'
import { sourceRecord, sourceName, sourceAddress, matchKey, personLinkEvent, matchReview, matchWeights } from './person-index.ts'
import { censusImport, censusImportedRecord, cscFeedChild, cscFeedRun } from './returns.ts'
import { document, documentVersion, documentChunk, documentShare, documentKind } from './records.ts'
import { retentionSchedule, retentionOverride, legalHold, erasure } from './retention.ts'
import { letterTemplate, letter } from './letters.ts'
import { bodyMap } from './body-maps.ts'
import { carer, periodOfCare, legalStatusChange, placement, homePostcodeChange } from './care.ts'
import { missingEpisode } from './missing-episodes.ts'
import { healthEducationRecord } from './health-education.ts'
import { careLeaver, careLeaverRecord } from './care-leavers.ts'
import { carePlan, iroAllocation, lookedAfterReview, iroEscalation, adoptionDecision, previousPermanence } from './care-plans.ts'
import { subjectAccessRequest, subjectAccessSubject, subjectAccessItem, subjectAccessBundle, rectificationRequest } from './subject-access.ts'

export const schema = {
  partnership,
  agency,
  team,
  appUser,
  session,
  person,
  childCase,
  caseInvolvement,
  accessGrant,
  caseRestriction,
  auditEvent,
  auditChainHead,
  instanceSetting,
  contact,
  contactChild,
  cinEpisode,
  assessment,
  strategyDiscussion,
  section47Enquiry,
  plan,
  planItem,
  conference,
  coreGroupMeeting,
  caseNote,
  lookedAfterPeriod,
  preProceedings,
  emergencyProtection,
  earlyHelpAssessment,
  clock,
  task,
  draft,
  personRelationship,
  recordRevision,
  apiToken,
  sourceRecord,
  sourceName,
  sourceAddress,
  matchKey,
  personLinkEvent,
  matchReview,
  matchWeights,
  censusImport,
  censusImportedRecord,
  cscFeedChild,
  cscFeedRun,
  document,
  documentVersion,
  documentChunk,
  documentShare,
  documentKind,
  retentionSchedule,
  retentionOverride,
  legalHold,
  erasure,
  subjectAccessRequest,
  subjectAccessSubject,
  subjectAccessItem,
  subjectAccessBundle,
  rectificationRequest,
  letterTemplate,
  letter,
  bodyMap,
  carer,
  periodOfCare,
  legalStatusChange,
  placement,
  homePostcodeChange,
  missingEpisode,
  healthEducationRecord,
  careLeaver,
  careLeaverRecord,
  carePlan,
  iroAllocation,
  lookedAfterReview,
  iroEscalation,
  adoptionDecision,
  previousPermanence,
}
