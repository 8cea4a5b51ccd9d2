/**
 * Together's own code sets for the child's journey (working-together.md §2). DfE's census codes
 * are in dfe-codes.ts; these cover the decisions and outcomes the census does not code.
 */
import { labelOf, type Code } from './dfe-codes.ts'
import ssda903 from '../returns/ssda903/codesets.json' with { type: 'json' }

export { codesOf, labelOf, currentCodes, type Code, type CodeOf } from './dfe-codes.ts'

/** The front door's decision on a contact (T01: within 1 working day). */
export const CONTACT_DECISION = [
  { code: 'nfa', label: 'No further action (feedback to the referrer)' },
  { code: 'information-advice', label: 'Information and advice' },
  { code: 'early-help', label: 'Early help or family help' },
  { code: 'referral', label: "Referral to children's social care" },
  { code: 'strategy-discussion', label: 'Strategy discussion' },
  { code: 'immediate-protection', label: 'Immediate protection' },
  { code: 'open-case', label: "Added to the child's open case with children's social care" },
] as const satisfies readonly Code[]

/**
 * The decision that adds a contact to the child's open case (issue 16): the contact joins the case's
 * record and chronology, and the allocated worker (or the case's team) is told and given a task.
 */
export const OPEN_CASE_DECISION = 'open-case'

/** Case stages with open work a contact can be added to (not at the front door, not closed). */
export function hasOpenWork(caseStatus: string): boolean {
  return caseStatus !== 'closed' && caseStatus !== 'front-door'
}

/** Decisions that make the contact a referral, so open a child-in-need episode. */
export const REFERRAL_DECISIONS: readonly string[] = ['referral', 'strategy-discussion', 'immediate-protection']

export const CONSENT = [
  { code: 'given', label: 'Family told and consented' },
  { code: 'refused', label: 'Family refused consent' },
  { code: 'not-sought', label: 'Consent not sought' },
] as const satisfies readonly Code[]

export const URGENCY = [
  { code: 'immediate', label: 'Immediate: the child may be at risk now' },
  { code: 'urgent', label: 'Urgent: today' },
  { code: 'standard', label: 'Standard' },
] as const satisfies readonly Code[]

/**
 * Urgencies whose decision is due the day the contact was received ("Urgent: today"), not the
 * referral-decision rule's 1 working day later; a standard contact keeps the rule.
 */
export const SAME_DAY_DECISION_URGENCIES: readonly string[] = ['immediate', 'urgent']

/** The due date of a contact's decision: the day it was received when urgent, else the rule's due date. */
export function contactDecisionDue(urgency: string, receivedOn: string, ruleDue: string): string {
  return SAME_DAY_DECISION_URGENCIES.includes(urgency) && receivedOn < ruleDue ? receivedOn : ruleDue
}

/** Single assessment from WT2013; initial and core assessments before it (FAF2000, WT2006/2010). */
export const ASSESSMENT_KIND = [
  { code: 'single', label: 'Child and family (single) assessment' },
  { code: 'initial', label: 'Initial assessment' },
  { code: 'core', label: 'Core assessment' },
] as const satisfies readonly Code[]

export const ASSESSMENT_OUTCOME = [
  { code: 'nfa', label: 'No further action' },
  { code: 'early-help', label: 'Early help or family help' },
  { code: 'cin-plan', label: 'Child in need plan' },
  { code: 'strategy-discussion', label: 'Strategy discussion' },
  { code: 'core-assessment', label: 'Core assessment (before 2013)' },
  { code: 'continue', label: 'Continue with current plan' },
] as const satisfies readonly Code[]

export const STRATEGY_DECISION = [
  { code: 's47-single', label: 'Section 47 enquiry by children’s social care (single agency)' },
  { code: 's47-joint', label: 'Section 47 enquiry jointly with a police investigation' },
  { code: 'no-s47', label: 'No section 47 enquiry' },
  { code: 'other', label: 'Other' },
] as const satisfies readonly Code[]

export const S47_OUTCOME = [
  { code: 'not-substantiated', label: 'Concerns not substantiated' },
  { code: 'substantiated-no-continuing-risk', label: 'Concerns substantiated, child not judged at continuing risk' },
  { code: 'substantiated-continuing-risk', label: 'Concerns substantiated, child judged at continuing risk: initial conference' },
] as const satisfies readonly Code[]

export const CONFERENCE_KIND = [
  { code: 'initial', label: 'Initial child protection conference' },
  { code: 'review', label: 'Review child protection conference' },
  { code: 'transfer-in', label: 'Transfer-in conference' },
] as const satisfies readonly Code[]

export const CONFERENCE_DECISION = [
  { code: 'plan', label: 'Child protection plan' },
  { code: 'no-plan', label: 'No child protection plan' },
  { code: 'continue', label: 'Plan continues' },
  { code: 'end', label: 'Plan ends' },
] as const satisfies readonly Code[]

export const ATTENDANCE = [
  { code: 'invited', label: 'Invited' },
  { code: 'attended', label: 'Attended' },
  { code: 'apologies', label: 'Sent apologies' },
  { code: 'did-not-attend', label: 'Did not attend' },
] as const satisfies readonly Code[]

export const PLAN_KIND = [
  { code: 'early-help', label: 'Early help or family help plan' },
  { code: 'child-in-need', label: 'Child in need plan' },
  { code: 'child-protection', label: 'Child protection plan' },
] as const satisfies readonly Code[]

export const PLAN_END_REASON = [
  { code: 'step-down-cin', label: 'Stepped down to a child in need plan' },
  { code: 'step-down-early-help', label: 'Stepped down to early help' },
  { code: 'step-up', label: 'Stepped up' },
  { code: 'outcomes-met', label: 'Outcomes met, no further services' },
  { code: 'looked-after', label: 'Child became looked after' },
  { code: 'moved-area', label: 'Child moved to another area' },
  { code: 'turned-18', label: 'Child turned 18' },
  { code: 'died', label: 'Child died' },
  { code: 'left-uk', label: 'Child permanently left the UK' },
  { code: 'family-declined', label: 'Family declined services (early help)' },
  { code: 'other', label: 'Other' },
] as const satisfies readonly Code[]

export const ACTION_STATUS = [
  { code: 'not-started', label: 'Not started' },
  { code: 'in-progress', label: 'In progress' },
  { code: 'done', label: 'Done' },
  { code: 'dropped', label: 'No longer needed' },
] as const satisfies readonly Code[]

/** Legal status on becoming looked after (SSDA903 codes, the ones a front door meets). */
export const LEGAL_STATUS = [
  { code: 'V2', label: 'Single period of accommodation under section 20' },
  { code: 'L1', label: 'Under police protection and in local authority accommodation' },
  { code: 'L2', label: 'Emergency protection order' },
  { code: 'L3', label: 'Under child assessment order and in local authority accommodation' },
  { code: 'C1', label: 'Interim care order' },
  { code: 'C2', label: 'Full care order' },
  { code: 'J1', label: 'Remanded to local authority accommodation or youth detention accommodation' },
  { code: 'E1', label: 'Placement order granted' },
] as const satisfies readonly Code[]

export const PRE_PROCEEDINGS_OUTCOME = [
  { code: 'A', label: 'Step down: concerns reduced' },
  { code: 'B', label: 'Care proceedings issued' },
  { code: 'C', label: 'Other outcome' },
] as const satisfies readonly Code[]

export const NOTE_KIND = [
  { code: 'note', label: 'Case note' },
  { code: 'visit', label: 'Visit' },
  { code: 'statutory-visit', label: 'Statutory child protection visit' },
  { code: 'supervision', label: 'Management oversight' },
] as const satisfies readonly Code[]

export const RELATIONSHIP_KIND = [
  { code: 'parent', label: 'Parent' },
  { code: 'carer', label: 'Carer' },
  { code: 'sibling', label: 'Sibling' },
  { code: 'partner-of-parent', label: 'Partner of parent' },
  { code: 'grandparent', label: 'Grandparent' },
  { code: 'other', label: 'Other' },
] as const satisfies readonly Code[]

/** Where a child's case stands, derived from its records (never typed in). */
export const CASE_STAGE = [
  { code: 'front-door', label: 'Front door' },
  { code: 'early-help', label: 'Early help' },
  { code: 'assessment', label: 'Assessment' },
  { code: 'section-47', label: 'Section 47 enquiry' },
  { code: 'child-in-need', label: 'Child in need' },
  { code: 'child-protection', label: 'Child protection plan' },
  { code: 'looked-after', label: 'Looked after' },
  /** Left care entitled to leaving care support: open until that support ends (care-leavers.ts). */
  { code: 'care-leaver', label: 'Care leaver' },
  { code: 'closed', label: 'Closed' },
] as const satisfies readonly Code[]

/**
 * Why a statutory clock was completed late: the coded reason beside the worker's own words. The
 * DfE codes no reasons for delay (the CIN census and Annex A carry dates only), so these are the
 * partnership's codes, as the team view and the scorecard count them.
 */
export const DELAY_REASON = [
  { code: 'family-unavailable', label: 'The child or family was not available or did not engage' },
  { code: 'awaiting-agency', label: 'Waiting for information or attendance from another agency' },
  { code: 'capacity', label: 'Worker or team capacity (caseloads, absence, vacancies)' },
  { code: 'complexity', label: 'The complexity of the case needed more time' },
  { code: 'rescheduled', label: 'The meeting or visit was rescheduled (chair, venue, attendees)' },
  { code: 'recorded-late', label: 'Done on time but recorded late' },
  { code: 'new-information', label: 'New information or a change in circumstances' },
  { code: 'other', label: 'Another reason (say what in the words below)' },
] as const satisfies readonly Code[]

/** How a late completion is counted when no reason has been given yet. */
export const NO_DELAY_REASON = 'not-given'

/**
 * A clock's reason for delay as people read it: the coded reason's label and the words
 * ("<label>: <words>"), either alone when only one was given, '' when neither was.
 */
export function delayReasonText(reason: { delayReasonCode?: string | null; delayReason?: string | null }): string {
  const words = reason.delayReason?.trim() || null
  const label = reason.delayReasonCode ? labelOf(DELAY_REASON, reason.delayReasonCode) : null
  return [label, words].filter(Boolean).join(': ')
}

/** Immediate protection of a child (Children Act 1989 s46 and s44): its clock's rule is the code. */
/** Missing from home or care, as the SSDA903's MISSING column counts it (M, A). */
export const MISSING_KIND = [
  { code: 'missing', label: 'Missing (where the child was not known)' },
  { code: 'away', label: 'Away without permission (where the child was known)' },
] as const satisfies readonly Code[]

/** A looked-after child's health and education records (the SSDA903 OC2's items, Annex A list 8's dates, the personal education plan). */
export const HEALTH_EDUCATION_KIND = [
  { code: 'initial-health-assessment', label: 'Initial health assessment' },
  { code: 'review-health-assessment', label: 'Review health assessment' },
  { code: 'dental-check', label: 'Dental check' },
  { code: 'immunisations', label: 'Immunisations checked' },
  { code: 'health-surveillance', label: 'Health surveillance check (under 5)' },
  { code: 'sdq', label: 'Strengths and difficulties questionnaire' },
  { code: 'pep', label: 'Personal education plan' },
  { code: 'pep-review', label: 'Personal education plan review' },
  { code: 'conviction', label: 'Convicted or given a youth caution' },
  { code: 'substance-misuse', label: 'Substance misuse problem identified' },
  { code: 'substance-misuse-intervention', label: 'Substance misuse intervention received' },
  { code: 'substance-misuse-intervention-refused', label: 'Substance misuse intervention offered and refused' },
] as const satisfies readonly Code[]

/**
 * The kinds the offending and substance misuse form records (the SSDA903 OC2's CONVICTED,
 * SUBSTANCE_MISUSE, INTERVENTION_RECEIVED and INTERVENTION_OFFERED): kept with the health and
 * education records, each on its day.
 */
export const OFFENDING_SUBSTANCE_KIND = ['conviction', 'substance-misuse', 'substance-misuse-intervention', 'substance-misuse-intervention-refused'] as const

/** Why there is no strengths and difficulties questionnaire score (the SSDA903's SDQ_REASON). */
export const SDQ_REASON = [
  { code: 'SDQ1', label: 'Under 4 or over 16 at the latest assessment' },
  { code: 'SDQ2', label: 'Carer refused' },
  { code: 'SDQ3', label: 'Not possible because of the severity of disability' },
  { code: 'SDQ4', label: 'Other' },
  { code: 'SDQ5', label: 'Young person refused' },
] as const satisfies readonly Code[]

/** A care leaver's category under the Children Act 1989 as amended (Children (Leaving Care) Act 2000). */
export const CARE_LEAVER_CATEGORY = [
  { code: 'eligible', label: 'Eligible: 16 or 17, still looked after, looked after 13 weeks since 14' },
  { code: 'relevant', label: 'Relevant: 16 or 17, left care after being eligible' },
  { code: 'former-relevant', label: 'Former relevant: 18 to 25, was eligible or relevant' },
  { code: 'qualifying', label: 'Qualifying: looked after at 16 but not eligible' },
] as const satisfies readonly Code[]

/** What is recorded about a care leaver over time: the pathway plan, its reviews, each contact, and the end of support. */
export const CARE_LEAVER_RECORD_KIND = [
  { code: 'pathway-plan', label: 'Pathway plan' },
  { code: 'pathway-plan-review', label: 'Pathway plan review' },
  { code: 'contact', label: 'Contact with the young person' },
  { code: 'support-ended', label: 'Leaving care support ended' },
] as const satisfies readonly Code[]

/** The care leaver record that ends leaving care support (at 21, or 25, or earlier when the young person no longer wants it): the case closes. */
export const SUPPORT_ENDED = 'support-ended'

const ssda903Codes = (name: 'IN_TOUCH' | 'ACTIV' | 'ACCOM'): Code[] => ssda903.codesets[name].codes.map((c) => ({ code: c.code, label: c.label }))

/** Whether the authority is in touch with a care leaver (the SSDA903 OC3's IN_TOUCH). */
export const CARE_LEAVER_IN_TOUCH: Code[] = ssda903Codes('IN_TOUCH')
/** A care leaver's main activity (ACTIV). */
export const CARE_LEAVER_ACTIVITY: Code[] = ssda903Codes('ACTIV')
/** A care leaver's accommodation and whether it is suitable (ACCOM). */
export const CARE_LEAVER_ACCOMMODATION: Code[] = ssda903Codes('ACCOM')

/** What a screening for exploitation after a missing episode found, where the partnership uses one. */
export const EXPLOITATION_SCREENING_OUTCOME = [
  { code: 'no-concerns', label: 'No concerns about exploitation' },
  { code: 'concerns', label: 'Concerns about exploitation: referred on' },
] as const satisfies readonly Code[]

export const EMERGENCY_PROTECTION_KIND = [
  { code: 'police-protection', label: 'Police protection (section 46, at most 72 hours)' },
  { code: 'emergency-protection-order', label: 'Emergency protection order (section 44, up to 8 days, extended once by up to 7)' },
] as const satisfies readonly Code[]
