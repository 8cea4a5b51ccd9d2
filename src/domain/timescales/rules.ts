import type { IsoDate } from './calendar/iso-date.ts'
import type { TimescaleUnit } from './duration.ts'
import { EDITION_YEARS, type EditionYear } from './editions.ts'
import { UnknownRuleError } from './errors.ts'
import { DEFAULT_LOCAL_RULES, type LocalRuleKey } from './local-rules.ts'

/** must: a legal duty; should: statutory guidance (departures need a reason); local: set by the partnership. */
export type Strength = 'must' | 'should' | 'local'

export const RULE_IDS = [
  'referral-decision',
  'initial-assessment',
  'core-assessment',
  'assessment',
  'strategy-discussion',
  'icpc',
  'first-core-group',
  'core-group',
  'child-protection-visit',
  'first-review-conference',
  'review-conference',
  'transfer-in-conference',
  'serious-incident-notification',
  'rapid-review',
  'lcspr',
  'scr-decision',
  'scr-completion',
  'lado-referral',
  'lado-resolution-month',
  'lado-resolution-quarter',
  'lado-resolution-year',
  'review-advance-notice',
  'dhr-decision',
  'dhr-completion',
  'section-11-cycle',
  'cla-first-review',
  'cla-second-review',
  'cla-review',
  'care-proceedings',
] as const

export type RuleId = (typeof RULE_IDS)[number]

/**
 * One row of the rules table: a time limit for one rule in some editions of Working Together, or,
 * for a rule made by legislation, for every start date from its commencement. A rule whose limit
 * changed between editions has one row per limit. A local rule's limit and unit here are the
 * defaults; a partnership's own values come from its LocalRuleSettings (`local` names the field).
 */
export type TimescaleRule = {
  id: RuleId
  title: string
  startEvent: string
  endEvent: string
  limit: number
  unit: TimescaleUnit
  strength: Strength
  local?: LocalRuleKey
  /** Where the rule comes from: the row in docs/working-together.md and its sources. */
  source: string
  notes?: string
} & ({ editions: readonly EditionYear[]; inForceFrom?: never } | { inForceFrom: IsoDate; editions?: never })

const ALL_EDITIONS = EDITION_YEARS
const FROM_2013 = [2013, 2015, 2018, 2023, 2026] as const
const FROM_2018 = [2018, 2023, 2026] as const
const WT2026_UNVERIFIED = 'WT2026 is assumed to keep this limit: its timescale changes are unverified.'

function localDefault(key: LocalRuleKey): Pick<TimescaleRule, 'limit' | 'unit' | 'strength' | 'local'> {
  return { ...DEFAULT_LOCAL_RULES[key], strength: 'local', local: key }
}

/** Every timescale, as data. Facts and sources: docs working-together.md §1 (row ids T01…T49). */
export const RULES: readonly TimescaleRule[] = [
  {
    id: 'referral-decision',
    title: 'Decide the response to a referral',
    startEvent: "Referral received by the local authority's children's social care",
    endEvent: 'Decision on the type of response recorded',
    limit: 1,
    unit: 'working-days',
    strength: 'should',
    editions: ALL_EDITIONS,
    source: 'WT T01: http://www.teescpp.org.uk/working-together-2013 ; http://id.esd.org.uk/metricType/2234',
    notes: WT2026_UNVERIFIED,
  },
  {
    id: 'initial-assessment',
    title: 'Initial assessment',
    startEvent: 'Referral (or new information on an open case)',
    endEvent: 'Initial assessment completed',
    limit: 7,
    unit: 'working-days',
    strength: 'should',
    editions: [2006],
    source: 'WT T04 (Framework for the Assessment of Children in Need 2000): http://coventryscb.proceduresonline.com/chapters/p_int_cor_ass.html',
  },
  {
    id: 'initial-assessment',
    title: 'Initial assessment',
    startEvent: 'Referral (or new information on an open case)',
    endEvent: 'Initial assessment completed',
    limit: 10,
    unit: 'working-days',
    strength: 'should',
    editions: [2010],
    source: 'WT T04: http://coventryscb.proceduresonline.com/chapters/p_int_cor_ass.html ; https://www.communitycare.co.uk/2012/06/12/ministers-confirm-removal-of-child-assessment-timescales/',
  },
  {
    id: 'core-assessment',
    title: 'Core assessment',
    startEvent: 'Core assessment started (the decision to undertake it, or the start of section 47 enquiries)',
    endEvent: 'Core assessment completed',
    limit: 35,
    unit: 'working-days',
    strength: 'should',
    editions: [2006, 2010],
    source: 'WT T05: https://www.communitycare.co.uk/2012/06/12/ministers-confirm-removal-of-child-assessment-timescales/',
  },
  {
    id: 'assessment',
    title: 'Single assessment (Children Act 1989)',
    startEvent: 'Referral received',
    endEvent: 'Assessment concluded and next steps decided',
    limit: 45,
    unit: 'working-days',
    strength: 'should',
    editions: FROM_2013,
    source: 'WT T06: http://www.teescpp.org.uk/working-together-2013 ; https://proceduresonline.com/toolkit/glossary/a/cs-assessment',
    notes: `Record the reasons when it is exceeded. ${WT2026_UNVERIFIED}`,
  },
  {
    id: 'strategy-discussion',
    title: 'Strategy discussion',
    startEvent: 'Decision to hold a strategy discussion',
    endEvent: 'Strategy discussion held',
    ...localDefault('strategyDiscussion'),
    editions: ALL_EDITIONS,
    source: 'WT T07 (local figure): https://www.teescpp.org.uk/procedures-for-the-safeguarding-process/6-strategy-discussion',
    notes: 'National guidance sets no figure; the limit is the partnership\'s.',
  },
  {
    id: 'icpc',
    title: 'Initial child protection conference',
    startEvent: 'Strategy discussion at which section 47 enquiries were initiated',
    endEvent: 'Initial child protection conference held',
    limit: 15,
    unit: 'working-days',
    strength: 'should',
    editions: ALL_EDITIONS,
    source: 'WT T09: https://sussexchildprotection.procedures.org.uk/hkypqx/child-protection-conferences/initial-child-protection-conference ; https://liverpoolscp.proceduresonline.com/chapters/p_init_cp.html',
    notes: `DfE statistics measure this from the start of the section 47 enquiry instead. ${WT2026_UNVERIFIED}`,
  },
  {
    id: 'first-core-group',
    title: 'First core group meeting',
    startEvent: 'Initial child protection conference that made the plan',
    endEvent: 'First core group meeting held',
    ...localDefault('firstCoreGroup'),
    editions: ALL_EDITIONS,
    source: 'WT T12 (local procedures): https://www.teescpp.org.uk/procedures-for-the-safeguarding-process/10-child-protection-plan-core-group/ ; https://newcastlechildcare.proceduresonline.com/chapters/g_core_group.html',
    notes: 'Universal in local procedures; whether national guidance states it is unverified (Q3).',
  },
  {
    id: 'core-group',
    title: 'Core group meetings',
    startEvent: 'Previous core group meeting',
    endEvent: 'Next core group meeting held',
    ...localDefault('coreGroupCadence'),
    editions: ALL_EDITIONS,
    source: 'WT T13 (local procedures): https://seftonscp.procedures.org.uk/lkytqq/child-protection-conferences/managing-individual-cases/core-group',
  },
  {
    id: 'child-protection-visit',
    title: 'Visits to a child on a child protection plan',
    startEvent: 'Previous statutory visit',
    endEvent: 'Next visit, the child seen (and seen alone)',
    ...localDefault('childProtectionVisits'),
    editions: ALL_EDITIONS,
    source: 'WT T14 (local procedures): https://democracy.darlington.gov.uk/mgAi.aspx?ID=1799',
  },
  {
    id: 'first-review-conference',
    title: 'First child protection review conference',
    startEvent: 'Initial child protection conference',
    endEvent: 'First review conference held',
    limit: 3,
    unit: 'months',
    strength: 'should',
    editions: ALL_EDITIONS,
    source: 'WT T15: https://sussexchildprotection.procedures.org.uk/hkypqh/child-protection-conferences/child-protection-review-conference',
    notes: WT2026_UNVERIFIED,
  },
  {
    id: 'review-conference',
    title: 'Further child protection review conferences',
    startEvent: 'Previous review conference',
    endEvent: 'Next review conference held',
    limit: 6,
    unit: 'months',
    strength: 'should',
    editions: ALL_EDITIONS,
    source: 'WT T16: https://sussexchildprotection.procedures.org.uk/hkypqh/child-protection-conferences/child-protection-review-conference',
    notes: `For as long as the plan lasts. ${WT2026_UNVERIFIED}`,
  },
  {
    id: 'transfer-in-conference',
    title: 'Transfer-in child protection conference',
    startEvent: 'Receiving authority notified that a child on a plan has moved into its area',
    endEvent: 'Transfer-in conference held',
    ...localDefault('transferInConference'),
    editions: ALL_EDITIONS,
    source: 'WT T19 (local procedures): http://www.teescpp.org.uk/transfer-in-out',
  },
  {
    id: 'serious-incident-notification',
    title: 'Notify a serious incident',
    startEvent: 'Local authority becomes aware of the incident',
    endEvent: 'Notification submitted (Ofsted and the LSCB to 2015; the Child Safeguarding Practice Review Panel from 2018)',
    limit: 5,
    unit: 'working-days',
    strength: 'must',
    editions: FROM_2013,
    source: 'WT T40 (Children Act 2004 s16C): http://pandorsetscb.proceduresonline.com/chapters/p_notif_events.html ; https://nelincsscp.trixonline.co.uk/chapter/child-safeguarding-practice-reviews',
    notes: `The sources that give the 5 working days date from 2015; its 2013 placing follows the issue. ${WT2026_UNVERIFIED}`,
  },
  {
    id: 'rapid-review',
    title: 'Rapid review',
    startEvent: 'Serious incident notification sent to the Panel',
    endEvent: 'Rapid review sent to the Panel with the decision on a local review',
    limit: 15,
    unit: 'working-days',
    strength: 'should',
    editions: FROM_2018,
    source: 'WT T42: https://www.safeguardingcambspeterborough.org.uk/children-board/serious-case-reviews ; https://childsafeguarding.independent-panel.uk/about/faqs/',
    notes: `Some sources start the clock on awareness of the incident (Q4). ${WT2026_UNVERIFIED}`,
  },
  {
    id: 'lcspr',
    title: 'Local child safeguarding practice review',
    startEvent: 'Decision to initiate the review',
    endEvent: 'Review completed and published',
    limit: 6,
    unit: 'months',
    strength: 'should',
    editions: FROM_2018,
    source: 'WT T43: https://www.traffordsafeguardingpartnership.org.uk/About-us/News/2020/Child-Safeguarding-Practice-Reviews-update.aspx',
    notes: WT2026_UNVERIFIED,
  },
  {
    id: 'scr-decision',
    title: 'Serious case review: decision whether to initiate',
    startEvent: 'Incident notified to the LSCB',
    endEvent: "LSCB chair's decision",
    limit: 1,
    unit: 'months',
    strength: 'should',
    editions: [2013, 2015],
    source: 'WT T45: http://kingstonandrichmondlscb.org.uk/about-richmond-lscb/subgroups-107/serious-case-review-subgroup-108.php',
    notes: 'In 2010 one month was a practice benchmark, not a rule.',
  },
  {
    id: 'scr-completion',
    title: 'Serious case review: completion',
    startEvent: 'Decision to initiate the review',
    endEvent: 'Overview report completed',
    limit: 4,
    unit: 'months',
    strength: 'should',
    editions: [2006],
    source: 'WT T46: https://familylaw.co.uk/news_and_comment/consultation-launched-on-serious-case-review-guidance',
  },
  {
    id: 'scr-completion',
    title: 'Serious case review: completion',
    startEvent: 'Decision to initiate the review',
    endEvent: 'Overview report completed',
    limit: 6,
    unit: 'months',
    strength: 'should',
    editions: [2010, 2013, 2015],
    source: 'WT T46: https://hansard.parliament.uk/Commons/2010-02-23/debates/10022434000028/SocialServices',
    notes: 'WT2013 and WT2015 say "aim for" 6 months.',
  },
  {
    id: 'lado-referral',
    title: 'Tell the designated officer (LADO) about an allegation',
    startEvent: "Allegation against a person working with children comes to the employer's attention",
    endEvent: 'Designated officer informed',
    limit: 1,
    unit: 'working-days',
    strength: 'should',
    editions: FROM_2018,
    source: 'WT T48: https://bristolsafeguarding.org/children/lado-concerns-about-professionals/',
    notes: `Verified for 2018; 2023 likely. ${WT2026_UNVERIFIED}`,
  },
  {
    id: 'lado-resolution-month',
    title: 'Allegation against a person working with children: resolved within a month (80% target)',
    startEvent: 'Allegation referred to the designated officer',
    endEvent: 'Case concluded with an outcome',
    limit: 1,
    unit: 'months',
    strength: 'should',
    editions: FROM_2018,
    source: 'WT T49: https://pro-actionherts.org/safeguarding/membership-safeguarding-information/safeguarding-policy-in-hertfordshire/lado-local-authority-designated-officer',
    notes: `A performance target over all cases: 80% should be resolved within a month. ${WT2026_UNVERIFIED}`,
  },
  {
    id: 'lado-resolution-quarter',
    title: 'Allegation against a person working with children: resolved within 3 months (90% target)',
    startEvent: 'Allegation referred to the designated officer',
    endEvent: 'Case concluded with an outcome',
    limit: 3,
    unit: 'months',
    strength: 'should',
    editions: FROM_2018,
    source: 'WT T49: https://pro-actionherts.org/safeguarding/membership-safeguarding-information/safeguarding-policy-in-hertfordshire/lado-local-authority-designated-officer',
    notes: `A performance target over all cases: 90% should be resolved within 3 months. ${WT2026_UNVERIFIED}`,
  },
  {
    id: 'lado-resolution-year',
    title: 'Allegation against a person working with children: resolved within 12 months (all but exceptional cases)',
    startEvent: 'Allegation referred to the designated officer',
    endEvent: 'Case concluded with an outcome',
    limit: 12,
    unit: 'months',
    strength: 'should',
    editions: FROM_2018,
    source: 'WT T49: https://pro-actionherts.org/safeguarding/membership-safeguarding-information/safeguarding-policy-in-hertfordshire/lado-local-authority-designated-officer',
    notes: `All but the most exceptional cases; a case past it records why it is exceptional. ${WT2026_UNVERIFIED}`,
  },
  {
    id: 'review-advance-notice',
    title: 'Advance notice to the Panel and DfE before publishing a practice review',
    startEvent: 'Advance copy of the final report sent to the Panel and the Department for Education',
    endEvent: 'Earliest publication',
    ...localDefault('advanceNotice'),
    editions: FROM_2018,
    source: 'WT T44 (advance notice confirmed; the figure is unverified, Q5): https://www.traffordsafeguardingpartnership.org.uk/About-us/News/2020/Child-Safeguarding-Practice-Reviews-update.aspx',
    notes: 'A minimum wait, not a deadline: publication should come no sooner than this after the notice. Default 7 working days (Q5).',
  },
  {
    id: 'dhr-decision',
    title: 'Domestic homicide review: decision whether to hold one',
    startEvent: 'Police notify the community safety partnership in writing',
    endEvent: "Community safety partnership's decision (Home Office told)",
    limit: 1,
    unit: 'months',
    strength: 'should',
    inForceFrom: '2011-04-13',
    source: 'WT T50 (Domestic Violence, Crime and Victims Act 2004 s9, in force 13 April 2011): https://www.gov.uk/guidance/conducting-a-domestic-homicide-review-online-learning',
    notes: 'The one-month figure is unverified (Q7): a configurable default.',
  },
  {
    id: 'dhr-completion',
    title: 'Domestic homicide review: completion',
    startEvent: 'Decision to hold the review',
    endEvent: 'Overview report sent to the Home Office quality assurance panel',
    limit: 6,
    unit: 'months',
    strength: 'should',
    inForceFrom: '2011-04-13',
    source: 'WT T51: https://fdocuments.net/document/multi-agency-statutory-guidance-for-the-conduct-of-statutory-guidance-for-the.html',
    notes: 'The six-month figure is unverified (Q7): a configurable default.',
  },
  {
    id: 'section-11-cycle',
    title: 'Section 11 self-assessment audit: next cycle',
    startEvent: 'Previous section 11 audit issued to agencies',
    endEvent: 'Next section 11 audit issued',
    ...localDefault('section11Cycle'),
    editions: ALL_EDITIONS,
    source: 'WT T54 (local): https://www.buckssafeguarding.org.uk/childrenpartnership/about-the-bscp/audits-learning/section-11-audit/',
    notes: 'Every 2 years in most partnerships (Bucks, the London template); Brent audits yearly.',
  },
  {
    id: 'cla-first-review',
    title: 'Looked-after child: first review',
    startEvent: 'Child becomes looked after',
    endEvent: 'First review held',
    limit: 20,
    unit: 'working-days',
    strength: 'must',
    inForceFrom: '2011-04-01',
    source: 'WT T34: Care Planning, Placement and Case Review (England) Regulations 2010 (in force 1 April 2011): https://childhoodfirst.proceduresonline.com/p_lac_rev.html',
    notes: 'Regulation number (believed 33) unverified.',
  },
  {
    id: 'cla-second-review',
    title: 'Looked-after child: second review',
    startEvent: 'First review',
    endEvent: 'Second review held',
    limit: 3,
    unit: 'months',
    strength: 'must',
    inForceFrom: '2011-04-01',
    source: 'WT T34: Care Planning, Placement and Case Review (England) Regulations 2010 (in force 1 April 2011): https://childhoodfirst.proceduresonline.com/p_lac_rev.html',
  },
  {
    id: 'cla-review',
    title: 'Looked-after child: later reviews',
    startEvent: 'Previous review',
    endEvent: 'Next review held',
    limit: 6,
    unit: 'months',
    strength: 'must',
    inForceFrom: '2011-04-01',
    source: 'WT T34: Care Planning, Placement and Case Review (England) Regulations 2010 (in force 1 April 2011): https://childhoodfirst.proceduresonline.com/p_lac_rev.html',
  },
  {
    id: 'care-proceedings',
    title: 'Care and supervision proceedings',
    startEvent: 'Application issued',
    endEvent: 'Proceedings finally disposed of',
    limit: 26,
    unit: 'weeks',
    strength: 'must',
    inForceFrom: '2014-04-22',
    source: 'WT T32: Children Act 1989 s32 as amended by Children and Families Act 2014 s14: https://legislation.gov.uk/ukpga/2014/6/section/14?view=plain',
    notes: 'The court may extend only where necessary, by up to 8 weeks at a time.',
  },
]

const rowsById = new Map<string, TimescaleRule[]>()
for (const row of RULES) rowsById.set(row.id, [...(rowsById.get(row.id) ?? []), row])

/** Every row of the rules table, in table order. */
export function listRules(): readonly TimescaleRule[] {
  return RULES
}

/** The rows for one rule (one per distinct limit), or UnknownRuleError. */
export function findRule(id: string): readonly TimescaleRule[] {
  const rows = rowsById.get(id)
  if (!rows) throw new UnknownRuleError(id)
  return rows
}
