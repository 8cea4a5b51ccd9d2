/**
 * The CIN census as a typed model: one object per XML element group, every value kept exactly as
 * written (a string, or undefined when the element is absent), so validation can say what is wrong
 * with what the file says. Sub-modules have no ids in the XML; they are identified by position.
 */

export interface CensusHeader {
  collection?: string
  /** The year the census ends, e.g. "2025" for 2024-25. */
  year?: string
  referenceDate?: string
  sourceLevel?: string
  lea?: string
  softwareCode?: string
  release?: string
  serialNo?: string
  dateTime?: string
}

export interface CensusChild {
  laChildId?: string
  /**
   * The child's names, which DfE's census does not hold but some systems' extracts carry beside
   * the LAchildID (<Forename>/<Surname> as in DfE's common basic data set, or <GivenName>/<FamilyName>).
   */
  givenName?: string
  familyName?: string
  upn?: string
  formerUpn?: string
  upnUnknown?: string
  personBirthDate?: string
  expectedPersonBirthDate?: string
  /** <Sex> M/F/U (2024-25 onward). */
  sex?: string
  /** <GenderCurrent> 1/2/0/9 (up to 2023-24). */
  genderCurrent?: string
  personDeathDate?: string
  ethnicity?: string
  /** undefined when there is no <Disabilities> element. */
  disabilities?: string[]
  episodes: CensusEpisode[]
}

/** One <CINdetails>: an episode opened by a referral. */
export interface CensusEpisode {
  referralDate?: string
  referralSource?: string
  primaryNeedCode?: string
  closureDate?: string
  reasonForClosure?: string
  /** Episode-level ICPC, used when the episode has no section 47 enquiry in the year. */
  dateOfInitialCpc?: string
  assessments: CensusAssessment[]
  cinPlans: CensusCinPlan[]
  section47s: CensusSection47[]
  referralNfa?: string
  childProtectionPlans: CensusChildProtectionPlan[]
  /** 2026-27 draft module. */
  preProceedings: CensusPreProceedings[]
}

export interface CensusAssessment {
  startDate?: string
  internalReviewDate?: string
  authorisationDate?: string
  /** undefined when there is no <FactorsIdentifiedAtAssessment> element. */
  factors?: string[]
}

export interface CensusCinPlan {
  startDate?: string
  endDate?: string
}

export interface CensusSection47 {
  startDate?: string
  initialCpcTarget?: string
  dateOfInitialCpc?: string
  icpcNotRequired?: string
}

export interface CensusChildProtectionPlan {
  startDate?: string
  endDate?: string
  initialCategory?: string
  latestCategory?: string
  numberOfPreviousCpp?: string
  /** Every <CPPreviewDate> inside <Reviews>, in order; undefined when there is no <Reviews>. */
  reviews?: string[]
}

/** <PreProceedingsandFGDM> (2026-27 draft; element names from the draft validator). */
export interface CensusPreProceedings {
  ppStartDate?: string
  lbpSentDate?: string
  fgdmMeetingOffer?: string
  fgdmMeetingFac?: string
  initialPpMeetingDate?: string
  reviewMeetingsCount?: string
  stepDecisionDate?: string
  ppOutcome?: string
  courtAppDate?: string
  letterInitCpDate?: string
}

export interface CensusFile {
  header?: CensusHeader
  children: CensusChild[]
}

export function emptyEpisode(): CensusEpisode {
  return { assessments: [], cinPlans: [], section47s: [], childProtectionPlans: [], preProceedings: [] }
}

/** Census years this module knows, by the year the census ends in. */
export const CENSUS_YEARS = [2024, 2025, 2026] as const
/** The draft 2026-27 census (pre-proceedings module), only behind an explicit flag. */
export const DRAFT_CENSUS_YEAR = 2027

export type Finding = {
  rule: string
  /** The child's LAchildID as written in the file; null for findings about the whole return. */
  child: string | null
  table: string
  field: string
  message: string
  type: 'error' | 'query'
}
