/**
 * Writes the census model as XML in the schema's element order (every block is an xs:sequence:
 * note ReferralNFA comes after Section47 and before ChildProtectionPlans), one child at a time so
 * an export can stream. Absent values are left out; the pre-proceedings module is written only for
 * the draft 2026-27 census.
 */
import type {
  CensusAssessment,
  CensusChild,
  CensusChildProtectionPlan,
  CensusEpisode,
  CensusHeader,
  CensusPreProceedings,
  CensusSection47,
} from './model.ts'
import { DRAFT_CENSUS_YEAR } from './model.ts'
import { PRE_PROCEEDINGS_FIELDS } from './parse.ts'

function escape(value: string): string {
  return /[&<>]/.test(value) ? value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : value
}

/** `<Name>value</Name>` or nothing when the value is absent. */
function el(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<${name}>${escape(value)}</${name}>`
}

export function censusOpening(header: CensusHeader): string {
  const collection =
    el('Collection', header.collection) + el('Year', header.year) + el('ReferenceDate', header.referenceDate)
  const source =
    el('SourceLevel', header.sourceLevel) +
    el('LEA', header.lea) +
    el('SoftwareCode', header.softwareCode) +
    el('Release', header.release) +
    el('SerialNo', header.serialNo) +
    el('DateTime', header.dateTime)
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n<Header>\n' +
    (collection ? `<CollectionDetails>${collection}</CollectionDetails>\n` : '') +
    (header.lea !== undefined ? `<Source>${source}</Source>\n` : '') +
    '</Header>\n<Children>\n'
  )
}

export const CENSUS_CLOSING = '</Children>\n</Message>\n'

export function childXml(child: CensusChild, year: number): string {
  const identifiers =
    el('LAchildID', child.laChildId) +
    el('UPN', child.upn) +
    el('FormerUPN', child.formerUpn) +
    el('UPNunknown', child.upnUnknown) +
    el('PersonBirthDate', child.personBirthDate) +
    el('ExpectedPersonBirthDate', child.expectedPersonBirthDate) +
    (year <= 2024 ? el('GenderCurrent', child.genderCurrent) : el('Sex', child.sex)) +
    el('PersonDeathDate', child.personDeathDate)
  const disabilities =
    child.disabilities === undefined || child.disabilities.length === 0
      ? ''
      : `<Disabilities>${child.disabilities.map((d) => el('Disability', d)).join('')}</Disabilities>`
  return (
    `<Child>\n<ChildIdentifiers>${identifiers}</ChildIdentifiers>\n` +
    `<ChildCharacteristics>${el('Ethnicity', child.ethnicity)}${disabilities}</ChildCharacteristics>\n` +
    child.episodes.map((e) => episodeXml(e, year)).join('') +
    '</Child>\n'
  )
}

function episodeXml(e: CensusEpisode, year: number): string {
  return (
    '<CINdetails>' +
    el('CINreferralDate', e.referralDate) +
    el('ReferralSource', e.referralSource) +
    el('PrimaryNeedCode', e.primaryNeedCode) +
    el('CINclosureDate', e.closureDate) +
    el('ReasonForClosure', e.reasonForClosure) +
    el('DateOfInitialCPC', e.dateOfInitialCpc) +
    e.assessments.map(assessmentXml).join('') +
    e.cinPlans.map((p) => `<CINPlanDates>${el('CINPlanStartDate', p.startDate)}${el('CINPlanEndDate', p.endDate)}</CINPlanDates>`).join('') +
    e.section47s.map(section47Xml).join('') +
    el('ReferralNFA', e.referralNfa) +
    e.childProtectionPlans.map(cppXml).join('') +
    (year === DRAFT_CENSUS_YEAR ? e.preProceedings.map(preProceedingsXml).join('') : '') +
    '</CINdetails>\n'
  )
}

function assessmentXml(a: CensusAssessment): string {
  const factors =
    a.factors === undefined || a.factors.length === 0
      ? ''
      : `<FactorsIdentifiedAtAssessment>${a.factors.map((f) => el('AssessmentFactors', f)).join('')}</FactorsIdentifiedAtAssessment>`
  return (
    '<Assessments>' +
    el('AssessmentActualStartDate', a.startDate) +
    el('AssessmentInternalReviewDate', a.internalReviewDate) +
    el('AssessmentAuthorisationDate', a.authorisationDate) +
    factors +
    '</Assessments>'
  )
}

function section47Xml(s: CensusSection47): string {
  return (
    '<Section47>' +
    el('S47ActualStartDate', s.startDate) +
    el('InitialCPCtarget', s.initialCpcTarget) +
    el('DateOfInitialCPC', s.dateOfInitialCpc) +
    el('ICPCnotRequired', s.icpcNotRequired) +
    '</Section47>'
  )
}

function cppXml(p: CensusChildProtectionPlan): string {
  const reviews =
    p.reviews === undefined || p.reviews.length === 0 ? '' : `<Reviews>${p.reviews.map((r) => el('CPPreviewDate', r)).join('')}</Reviews>`
  return (
    '<ChildProtectionPlans>' +
    el('CPPstartDate', p.startDate) +
    el('CPPendDate', p.endDate) +
    el('InitialCategoryOfAbuse', p.initialCategory) +
    el('LatestCategoryOfAbuse', p.latestCategory) +
    el('NumberOfPreviousCPP', p.numberOfPreviousCpp) +
    reviews +
    '</ChildProtectionPlans>'
  )
}

function preProceedingsXml(p: CensusPreProceedings): string {
  let body = ''
  for (const [name, key] of Object.entries(PRE_PROCEEDINGS_FIELDS)) body += el(name, p[key])
  return `<PreProceedingsandFGDM>${body}</PreProceedingsandFGDM>`
}
