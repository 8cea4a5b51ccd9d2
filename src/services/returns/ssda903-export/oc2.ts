/**
 * oc2.csv: children looked after continuously for 12 months at 31 March (the validator's test: an
 * episode open on 1 April that began before it, no new period in the year, still looked after on 31
 * March, no short breaks V3/V4), with their health in the year from the health and education
 * records (services/journey/health-education.ts):
 *
 * - HEALTH_ASSESSMENT: an initial or review health assessment in the year; TEETH_CHECK: a dental
 *   check; IMMUNISATIONS: the latest immunisations check in the year found them up to date;
 *   HEALTH_CHECK (under 5 at 31 March): a health surveillance check.
 * - SDQ (4 at 31 March to 16 on 1 April): the latest questionnaire's score, or its reason; SDQ4
 *   ("other") when none was recorded in the year.
 * - CONVICTED (10 or over at 31 March): a conviction or youth caution recorded in the year.
 * - SUBSTANCE_MISUSE: a substance misuse problem identified in the year; then INTERVENTION_RECEIVED
 *   an intervention received in the year, and INTERVENTION_OFFERED (blank when one was received,
 *   rule 158) one offered and refused. Without a problem both are blank (rule 193).
 */
import type { DerivedEpisode } from '../../../domain/care/episodes.ts'
import { ageOn, childColumns, type CollectionYear, type ExportChild, type TableBuilder } from './model.ts'

const SHORT_BREAK = new Set(['V3', 'V4'])
const endsCare = (e: DerivedEpisode) => e.REC !== '' && e.REC !== 'X1'

/** Looked after continuously for the 12 months to 31 March (as the 903's rules read the episodes). */
export function lookedAfter12Months(episodes: readonly DerivedEpisode[], year: CollectionYear): boolean {
  if (episodes.length === 0 || episodes.some((e) => SHORT_BREAK.has(e.LS))) return false
  if (!(episodes[0]!.DECOM < year.start)) return false
  if (episodes.some((e) => e.RNE === 'S' && e.DECOM >= year.start)) return false
  if (episodes.some((e) => endsCare(e) && e.DEC !== '' && e.DEC < year.end)) return false
  const last = episodes.at(-1)!
  return last.DEC === '' || last.DEC >= year.end
}

const flag = (yes: boolean) => (yes ? '1' : '0')

function healthInYear(child: ExportChild, year: CollectionYear) {
  const inYear = child.health.filter((h) => h.doneOn >= year.start && h.doneOn <= year.end).sort((a, b) => a.doneOn.localeCompare(b.doneOn))
  const has = (...kinds: string[]) => inYear.some((h) => kinds.includes(h.kind))
  const latest = (kind: string) => inYear.filter((h) => h.kind === kind).at(-1)
  return { has, latest }
}

export const oc2: TableBuilder = (child, year) => {
  if (child.dateOfBirth === null || !lookedAfter12Months(child.episodes, year)) return []
  const { has, latest } = healthInYear(child, year)
  const ageAtEnd = ageOn(child.dateOfBirth, year.end)
  const sdqAge = ageAtEnd >= 4 && ageOn(child.dateOfBirth, year.start) < 17
  const sdq = latest('sdq')
  const misuse = has('substance-misuse')
  const received = has('substance-misuse-intervention')
  const score = sdqAge && sdq?.sdqScore != null ? String(sdq.sdqScore) : ''
  return [
    {
      ...childColumns(child),
      SDQ_SCORE: score,
      SDQ_REASON: !sdqAge || score !== '' ? '' : (sdq?.sdqReason ?? 'SDQ4'),
      CONVICTED: ageAtEnd >= 10 ? flag(has('conviction')) : '',
      HEALTH_CHECK: ageAtEnd < 5 ? flag(has('health-surveillance')) : '',
      IMMUNISATIONS: flag(latest('immunisations')?.upToDate === true),
      TEETH_CHECK: flag(has('dental-check')),
      HEALTH_ASSESSMENT: flag(has('initial-health-assessment', 'review-health-assessment')),
      SUBSTANCE_MISUSE: flag(misuse),
      INTERVENTION_RECEIVED: misuse ? flag(received) : '',
      INTERVENTION_OFFERED: misuse && !received ? flag(has('substance-misuse-intervention-refused')) : '',
    },
  ]
}
