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
    switch (name) {
      case 'Header':
        this.header = {}
        return
      case 'Children':
        this.sawChildren = true
        return
      case 'Child':
        this.child = { episodes: [] }
        this.childLine = this.parser.line
        return
      case 'Disabilities':
        if (this.child) this.child.disabilities = []
        this.inDisabilities = true
        return
      case 'CINdetails':
        this.episode = emptyEpisode()
        this.child?.episodes.push(this.episode)
        return
      case 'Assessments':
        this.assessment = {}
        this.episode?.assessments.push(this.assessment)
        return
      case 'FactorsIdentifiedAtAssessment':
        if (this.assessment) this.assessment.factors = []
        this.inFactors = true
        return
      case 'CINPlanDates':
        this.cinPlan = {}
        this.episode?.cinPlans.push(this.cinPlan)
        return
      case 'Section47':
        this.section47 = {}
        this.episode?.section47s.push(this.section47)
        return
      case 'ChildProtectionPlans':
        this.cpp = {}
        this.episode?.childProtectionPlans.push(this.cpp)
        return
      case 'Reviews':
        if (this.cpp) this.cpp.reviews = []
        this.inReviews = true
        return
      case 'PreProceedingsandFGDM':
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
    switch (name) {
      case 'Header':
        if (this.header) this.events.onHeader?.(this.header)
        return
      case 'Child':
        if (this.child) this.events.onChild(this.child)
        this.child = this.episode = undefined
        return
      case 'Disabilities':
        this.inDisabilities = false
        return
      case 'Disability':
        if (this.inDisabilities && value !== undefined) this.child?.disabilities?.push(value)
        return
      case 'CINdetails':
        this.episode = undefined
        return
      case 'Assessments':
        this.assessment = undefined
        return
      case 'FactorsIdentifiedAtAssessment':
        this.inFactors = false
        return
      case 'AssessmentFactors':
        if (this.inFactors && value !== undefined) this.assessment?.factors?.push(value)
        return
      case 'CINPlanDates':
        this.cinPlan = undefined
        return
      case 'Section47':
        this.section47 = undefined
        return
      case 'ChildProtectionPlans':
        this.cpp = undefined
        return
      case 'Reviews':
        this.inReviews = false
        return
      case 'CPPreviewDate':
        if (this.inReviews && value !== undefined) this.cpp?.reviews?.push(value)
        return
      case 'PreProceedingsandFGDM':
        this.preProceedings = undefined
        return
      case 'DateOfInitialCPC':
        if (this.section47) this.section47.dateOfInitialCpc = value
        else if (this.episode) this.episode.dateOfInitialCpc = value
        return
    }
    if (value === undefined) return
    let key: string | undefined
    if (this.section47 && (key = SECTION47_FIELDS[name])) (this.section47 as Record<string, string>)[key] = value
    else if (this.assessment && (key = ASSESSMENT_FIELDS[name])) (this.assessment as Record<string, string>)[key] = value
    else if (this.cinPlan && (key = CIN_PLAN_FIELDS[name])) (this.cinPlan as Record<string, string>)[key] = value
    else if (this.cpp && (key = CPP_FIELDS[name])) (this.cpp as Record<string, string>)[key] = value
    else if (this.preProceedings && (key = PRE_PROCEEDINGS_FIELDS[name]))
      (this.preProceedings as Record<string, string>)[key] = value
    else if (this.episode && (key = EPISODE_FIELDS[name])) (this.episode as unknown as Record<string, string>)[key] = value
    else if (this.child && (key = CHILD_FIELDS[name])) (this.child as unknown as Record<string, string>)[key] = value
    else if (this.header && !this.child && (key = HEADER_FIELDS[name])) (this.header as Record<string, string>)[key] = value
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
