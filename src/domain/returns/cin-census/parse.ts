/**
 * A streaming reader of CIN census XML: feed it text chunks, and it hands over the header and each
 * <Child> as soon as the child's closing tag is read, so a 100,000-child file never has to be held
 * as a tree. Values are kept exactly as written (trimmed); empty elements count as absent.
 */
import { createRequire } from 'node:module'
import type { SaxesParser } from 'saxes'
import {
  emptyEpisode,
  type CensusAssessment,
  type CensusChild,
  type CensusChildProtectionPlan,
  type CensusCinPlan,
  type CensusEpisode,
  type CensusFile,
  type CensusHeader,
  type CensusPreProceedings,
  type CensusSection47,
} from './model.ts'

/** The file is not a readable census: not XML, or not a <Message> with <Children>. */
export class CensusFileError extends Error {
  override name = 'CensusFileError'
}

export interface CensusReaderEvents {
  onHeader?(header: CensusHeader): void
  onChild(child: CensusChild): void
}

const HEADER_FIELDS: Record<string, keyof CensusHeader> = {
  Collection: 'collection',
  Year: 'year',
  ReferenceDate: 'referenceDate',
  SourceLevel: 'sourceLevel',
  LEA: 'lea',
  SoftwareCode: 'softwareCode',
  Release: 'release',
  SerialNo: 'serialNo',
  DateTime: 'dateTime',
}
const CHILD_FIELDS: Record<string, keyof CensusChild> = {
  LAchildID: 'laChildId',
  Forename: 'givenName',
  GivenName: 'givenName',
  Surname: 'familyName',
  FamilyName: 'familyName',
  UPN: 'upn',
  FormerUPN: 'formerUpn',
  UPNunknown: 'upnUnknown',
  PersonBirthDate: 'personBirthDate',
  ExpectedPersonBirthDate: 'expectedPersonBirthDate',
  Sex: 'sex',
  GenderCurrent: 'genderCurrent',
  PersonDeathDate: 'personDeathDate',
  Ethnicity: 'ethnicity',
}
const EPISODE_FIELDS: Record<string, keyof CensusEpisode> = {
  CINreferralDate: 'referralDate',
  ReferralSource: 'referralSource',
  PrimaryNeedCode: 'primaryNeedCode',
  CINclosureDate: 'closureDate',
  ReasonForClosure: 'reasonForClosure',
  ReferralNFA: 'referralNfa',
}
const ASSESSMENT_FIELDS: Record<string, keyof CensusAssessment> = {
  AssessmentActualStartDate: 'startDate',
  AssessmentInternalReviewDate: 'internalReviewDate',
  AssessmentAuthorisationDate: 'authorisationDate',
}
const CIN_PLAN_FIELDS: Record<string, keyof CensusCinPlan> = {
  CINPlanStartDate: 'startDate',
  CINPlanEndDate: 'endDate',
}
const SECTION47_FIELDS: Record<string, keyof CensusSection47> = {
  S47ActualStartDate: 'startDate',
  InitialCPCtarget: 'initialCpcTarget',
  DateOfInitialCPC: 'dateOfInitialCpc',
  ICPCnotRequired: 'icpcNotRequired',
}
const CPP_FIELDS: Record<string, keyof CensusChildProtectionPlan> = {
  CPPstartDate: 'startDate',
  CPPendDate: 'endDate',
  InitialCategoryOfAbuse: 'initialCategory',
  LatestCategoryOfAbuse: 'latestCategory',
  NumberOfPreviousCPP: 'numberOfPreviousCpp',
}
export const PRE_PROCEEDINGS_FIELDS: Record<string, keyof CensusPreProceedings> = {
  PPStartDate: 'ppStartDate',
  LBPSentDate: 'lbpSentDate',
  FGDMMeetingOffer: 'fgdmMeetingOffer',
  FGDMMeetingFac: 'fgdmMeetingFac',
  InitialPPMeetingDate: 'initialPpMeetingDate',
  ReviewMeetingsCount: 'reviewMeetingsCount',
  StepDecisionDate: 'stepDecisionDate',
  PPOutcome: 'ppOutcome',
  CourtAppDate: 'courtAppDate',
  LetterInitCPDate: 'letterInitCpDate',
}

/** The records a field can belong to, in the order close() tries them. */
const SECTION47 = 0
const ASSESSMENT = 1
const CIN_PLAN = 2
const CPP = 3
const PRE_PROCEEDINGS = 4
const EPISODE = 5
const CHILD = 6
const HEADER = 7

/**
 * Each field's name, with the records it can belong to (in the order tried) and its key there:
 * one lookup per closing tag, where trying each table in turn cost up to eight (tag names come
 * from the parser as new strings, and every lookup of one hashes it again).
 */
const FIELDS = new Map<string, [holder: number, key: string][]>()
for (const [holder, table] of [
  [SECTION47, SECTION47_FIELDS],
  [ASSESSMENT, ASSESSMENT_FIELDS],
  [CIN_PLAN, CIN_PLAN_FIELDS],
  [CPP, CPP_FIELDS],
  [PRE_PROCEEDINGS, PRE_PROCEEDINGS_FIELDS],
  [EPISODE, EPISODE_FIELDS],
  [CHILD, CHILD_FIELDS],
  [HEADER, HEADER_FIELDS],
] as const) {
  for (const [name, key] of Object.entries(table)) {
    const list = FIELDS.get(name) ?? []
    list.push([holder, key])
    FIELDS.set(name, list)
  }
}

/** The elements open() and close() act on, numbered, so a tag costs one lookup (0: any other). */
const TAGS = new Map<string, number>(
  [
    'Header', 'Children', 'Child', 'Disabilities', 'Disability', 'CINdetails', 'Assessments', 'FactorsIdentifiedAtAssessment',
    'AssessmentFactors', 'CINPlanDates', 'Section47', 'ChildProtectionPlans', 'Reviews', 'CPPreviewDate', 'PreProceedingsandFGDM', 'DateOfInitialCPC',
  ].map((name, i) => [name, i + 1]),
)
const T_HEADER = 1
const T_CHILDREN = 2
const T_CHILD = 3
const T_DISABILITIES = 4
const T_DISABILITY = 5
const T_CIN_DETAILS = 6
const T_ASSESSMENTS = 7
const T_FACTORS = 8
const T_ASSESSMENT_FACTORS = 9
const T_CIN_PLAN_DATES = 10
const T_SECTION47 = 11
const T_CPP = 12
const T_REVIEWS = 13
const T_CPP_REVIEW_DATE = 14
const T_PRE_PROCEEDINGS = 15
const T_DATE_OF_INITIAL_CPC = 16

/** Reads one census file pushed through `write`; `end` checks it was a complete census. */
export class CensusReader {
  private readonly parser: SaxesParser<{ position: true }> = new (createRequire(import.meta.url)('saxes') as typeof import('saxes')).SaxesParser({ position: true })
  /** Where the <Child> being read starts, for messages. */
  private childLine = 0
  private depth = 0
  private sawChildren = false
  private text = ''
  private header: CensusHeader | undefined
  private child: CensusChild | undefined
  private episode: CensusEpisode | undefined
  private assessment: CensusAssessment | undefined
  private cinPlan: CensusCinPlan | undefined
  private section47: CensusSection47 | undefined
  private cpp: CensusChildProtectionPlan | undefined
  private preProceedings: CensusPreProceedings | undefined
  private inFactors = false
  private inReviews = false
  private inDisabilities = false
  private error: CensusFileError | undefined

  constructor(private readonly events: CensusReaderEvents) {
    this.parser.on('error', (err) => {
      this.error ??= new CensusFileError(this.where(err.message.replace(/^\d+:\d+: /, '')))
    })
    this.parser.on('text', (t) => {
      this.text += t
    })
    this.parser.on('cdata', (t) => {
      this.text += t
    })
    this.parser.on('opentag', (tag) => this.open(tag.name))
    this.parser.on('closetag', (tag) => this.close(tag.name))
  }

  write(chunk: string): void {
    if (this.error) throw this.error
    this.parser.write(chunk)
    if (this.error) throw this.error
  }

  end(): void {
    if (this.error) throw this.error
    this.parser.close()
    if (this.error) throw this.error
    if (!this.sawChildren) throw new CensusFileError('not a CIN census: no <Children> element inside <Message>')
  }

  /**
   * A parse error as one sentence naming the line (and the child being read): saxes reports the
   * first problem, at the innermost element, as "unclosed tag: X" when the file ends early.
   */
  private where(problem: string): string {
    const at = `line ${this.parser.line}, column ${this.parser.column}`
    const unclosed = /^unclosed tag: (.+)$/.exec(problem)
    const what = unclosed
      ? `the file ends at ${at} with <${unclosed[1]}> still open (is it truncated?)`
      : `not well-formed XML at ${at}: ${problem}`
    if (!this.child) return what
    const id = this.child.laChildId ? `, LAchildID ${this.child.laChildId}` : ''
    return `${what}, in the <Child> that starts at line ${this.childLine}${id}`
  }

  private open(name: string): void {
    this.text = ''
    this.depth++
    if (this.depth === 1) {
      if (name !== 'Message') throw (this.error = new CensusFileError(`not a CIN census: the root element (line ${this.parser.line}) is <${name}>, not <Message>`))
      return
    }
    switch (TAGS.get(name)) {
      case T_HEADER:
        this.header = {}
        return
      case T_CHILDREN:
        this.sawChildren = true
        return
      case T_CHILD:
        this.child = { episodes: [] }
        this.childLine = this.parser.line
        return
      case T_DISABILITIES:
        if (this.child) this.child.disabilities = []
        this.inDisabilities = true
        return
      case T_CIN_DETAILS:
        this.episode = emptyEpisode()
        this.child?.episodes.push(this.episode)
        return
      case T_ASSESSMENTS:
        this.assessment = {}
        this.episode?.assessments.push(this.assessment)
        return
      case T_FACTORS:
        if (this.assessment) this.assessment.factors = []
        this.inFactors = true
        return
      case T_CIN_PLAN_DATES:
        this.cinPlan = {}
        this.episode?.cinPlans.push(this.cinPlan)
        return
      case T_SECTION47:
        this.section47 = {}
        this.episode?.section47s.push(this.section47)
        return
      case T_CPP:
        this.cpp = {}
        this.episode?.childProtectionPlans.push(this.cpp)
        return
      case T_REVIEWS:
        if (this.cpp) this.cpp.reviews = []
        this.inReviews = true
        return
      case T_PRE_PROCEEDINGS:
        this.preProceedings = {}
        this.episode?.preProceedings.push(this.preProceedings)
        return
    }
  }

  private close(name: string): void {
    this.depth--
    const raw = this.text
    this.text = ''
    const value = raw === '' ? undefined : raw.trim() || undefined
    const fields = FIELDS.get(name)
    if (fields === undefined) {
      this.closeElement(name, value)
      return
    }
    if (value === undefined && name !== 'DateOfInitialCPC') return
    if (name === 'DateOfInitialCPC') {
      if (this.section47) this.section47.dateOfInitialCpc = value
      else if (this.episode) this.episode.dateOfInitialCpc = value
      return
    }
    for (const [holder, key] of fields) {
      const record = this.holder(holder)
      if (record !== undefined) {
        record[key] = value!
        return
      }
    }
  }

  /** The open record a field of `holder`'s kind goes into, if one is open. */
  private holder(holder: number): Record<string, string> | undefined {
    switch (holder) {
      case SECTION47:
        return this.section47 as Record<string, string> | undefined
      case ASSESSMENT:
        return this.assessment as Record<string, string> | undefined
      case CIN_PLAN:
        return this.cinPlan as Record<string, string> | undefined
      case CPP:
        return this.cpp as Record<string, string> | undefined
      case PRE_PROCEEDINGS:
        return this.preProceedings as Record<string, string> | undefined
      case EPISODE:
        return this.episode as unknown as Record<string, string> | undefined
      case CHILD:
        return this.child as unknown as Record<string, string> | undefined
      default:
        return this.header && !this.child ? (this.header as Record<string, string>) : undefined
    }
  }

  /** The closing tag of an element that is not a field: a record ends, or a list item is added. */
  private closeElement(name: string, value: string | undefined): void {
    switch (TAGS.get(name)) {
      case T_HEADER:
        if (this.header) this.events.onHeader?.(this.header)
        return
      case T_CHILD:
        if (this.child) this.events.onChild(this.child)
        this.child = this.episode = undefined
        return
      case T_DISABILITIES:
        this.inDisabilities = false
        return
      case T_DISABILITY:
        if (this.inDisabilities && value !== undefined) this.child?.disabilities?.push(value)
        return
      case T_CIN_DETAILS:
        this.episode = undefined
        return
      case T_ASSESSMENTS:
        this.assessment = undefined
        return
      case T_FACTORS:
        this.inFactors = false
        return
      case T_ASSESSMENT_FACTORS:
        if (this.inFactors && value !== undefined) this.assessment?.factors?.push(value)
        return
      case T_CIN_PLAN_DATES:
        this.cinPlan = undefined
        return
      case T_SECTION47:
        this.section47 = undefined
        return
      case T_CPP:
        this.cpp = undefined
        return
      case T_REVIEWS:
        this.inReviews = false
        return
      case T_CPP_REVIEW_DATE:
        if (this.inReviews && value !== undefined) this.cpp?.reviews?.push(value)
        return
      case T_PRE_PROCEEDINGS:
        this.preProceedings = undefined
        return
    }
  }
}

/** Reads a whole census held in memory (tests, small uploads). */
export function parseCensus(xml: string): CensusFile {
  const file: CensusFile = { children: [] }
  const reader = new CensusReader({
    onHeader: (header) => {
      file.header = header
    },
    onChild: (child) => file.children.push(child),
  })
  reader.write(xml)
  reader.end()
  return file
}
