/** Short, obviously synthetic wording for the free-text fields of generated records. */
export const CONCERNS = [
  'Synthetic record: school reports the child arrived hungry on several days this term.',
  'Synthetic record: police attended a domestic incident at the home; the child was present.',
  'Synthetic record: health visitor concerned about home conditions and missed appointments.',
  'Synthetic record: the child disclosed being hit by an adult at home.',
  'Synthetic record: neighbour reports the children left alone overnight.',
  'Synthetic record: A&E attendance with an unexplained injury.',
  'Synthetic record: parent asked for help, struggling with the child’s behaviour.',
  'Synthetic record: the young person has been reported missing three times this month.',
] as const

export const FEEDBACK = 'Synthetic record: referrer told the outcome of the contact.'

export const DECISION_REASONS: Record<string, string> = {
  nfa: 'Synthetic record: no evidence the child is in need; universal services continue.',
  'information-advice': 'Synthetic record: advice given to the referrer and the family.',
  'early-help': 'Synthetic record: needs can be met by early help with the family’s consent.',
  referral: 'Synthetic record: the child may be in need; an assessment is required.',
  'strategy-discussion': 'Synthetic record: reasonable cause to suspect significant harm.',
  'immediate-protection': 'Synthetic record: immediate risk of significant harm.',
}

export const ASSESSMENT_TEXT = {
  developmentalNeeds: 'Synthetic record: health and development broadly on track; school attendance variable.',
  parentingCapacity: 'Synthetic record: parents engage inconsistently; basic care mostly met.',
  familyEnvironment: 'Synthetic record: housing overcrowded; limited support from wider family.',
  analysis: 'Synthetic record: analysis of needs and risks, with the family’s views.',
} as const

export const INFORMATION_SHARED = 'Synthetic record: each agency shared what it holds about the child and family.'
export const SAFETY_ACTIONS = 'Synthetic record: the child to stay with a relative while enquiries take place.'
export const OUTLINE_PLAN = 'Synthetic record: outline child protection plan agreed at conference.'

/** A section 47 enquiry's narrative, recorded with its outcome. */
export const S47_FINDINGS = 'Synthetic record: the child and family were seen; the agencies involved shared what they hold.'
export const S47_REASONS: Record<string, string> = {
  'not-substantiated': 'Synthetic record: the concerns were not substantiated by what was seen and heard.',
  'substantiated-no-continuing-risk': 'Synthetic record: the concerns were substantiated, but the family’s safety plan meets the risk.',
  'substantiated-continuing-risk': 'Synthetic record: the concerns were substantiated and the child remains at risk of significant harm.',
}

/** Where and when synthetic conferences meet. */
export const CONFERENCE_TIME = '10:00'
export const CONFERENCE_VENUE = 'Synthetic record: conference room 1, civic centre'

export const GOALS = [
  'Synthetic goal: the child attends school every day',
  'Synthetic goal: the child lives free from domestic abuse',
  'Synthetic goal: the child’s health needs are met',
  'Synthetic goal: the home is safe and clean',
  'Synthetic goal: the parents work with services',
] as const

export const ACTIONS = [
  'Synthetic action: attend the parenting programme',
  'Synthetic action: weekly check-in with the school',
  'Synthetic action: health visitor to review growth and development',
  'Synthetic action: referral to the domestic abuse service',
  'Synthetic action: support with housing application',
  'Synthetic action: police to share incident reports',
] as const

export const ACTION_PROGRESS = 'Synthetic record: completed as agreed.'

export const PLAN_SUMMARY: Record<string, string> = {
  'early-help': 'Synthetic record: early help plan agreed with the family.',
  'child-in-need': 'Synthetic record: child in need plan agreed with the family.',
  'child-protection': 'Synthetic record: child protection plan from the initial conference.',
}

export const CORE_GROUP_ATTENDEES = 'Social worker, parent, school, health visitor (synthetic)'
export const CORE_GROUP_NOTES = 'Synthetic record: progress against the plan reviewed; actions updated.'

export const VISIT_TITLE = 'Home visit'
export const STATUTORY_VISIT_TITLE = 'Statutory visit'
export const VISIT_BODY = 'Synthetic record: visited the child at home; wishes and feelings recorded.'

export const DELAY_REASONS = [
  'Synthetic record: family unavailable; visit rearranged.',
  'Synthetic record: waiting for partner agency reports.',
  'Synthetic record: interpreter not available on the planned date.',
  'Synthetic record: staff sickness in the team.',
] as const

/** The tasks the services make for each clock (front-door, assessments, section47, conferences ...). */
export const TASK_TITLES: Record<string, string> = {
  'referral-decision': 'Decide the response to the contact',
  assessment: 'Complete the assessment',
  'initial-assessment': 'Complete the initial assessment',
  'strategy-discussion': 'Hold the strategy discussion',
  icpc: 'Hold the initial child protection conference (or record that it is not required)',
  'first-core-group': 'Hold the first core group meeting',
  'core-group': 'Hold the next core group meeting',
  'child-protection-visit': 'Visit the child (seen, and seen alone)',
  'first-review-conference': 'Hold the first review conference',
  'review-conference': 'Hold the next review conference',
  'cla-first-review': 'Hold the first looked-after review',
  'cla-second-review': 'Hold the second looked-after review',
  'cla-review': 'Hold the next looked-after review',
}

export const CONSENT_REASONS: Record<string, string> = {
  refused: 'Synthetic record: parent declined; concerns shared without consent.',
  'not-sought': 'Synthetic record: seeking consent could place the child at risk.',
}

export const MISSING_NOTES = 'Synthetic record: left the placement in the evening; found by the police at a friend’s address and brought back.'
export const PATHWAY_PLAN_NOTES = 'Synthetic record: pathway plan agreed with the young person: education, accommodation, health and money.'
