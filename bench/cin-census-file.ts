/**
 * A deterministic synthetic CIN census file for the benchmarks: plausible journeys (NFA referrals,
 * assessments, CIN plans, section 47 enquiries leading to conferences and plans, cases carried in
 * from the year before, unborn children) with about 1% injected errors. Fictional throughout.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { addDays, isWeekend } from '../src/domain/timescales/calendar/iso-date.ts'
import type { CensusChild, CensusChildProtectionPlan, CensusEpisode } from '../src/domain/returns/cin-census/model.ts'
import { emptyEpisode } from '../src/domain/returns/cin-census/model.ts'
import { censusOpening, childXml, CENSUS_CLOSING } from '../src/domain/returns/cin-census/write.ts'
import { Prng } from '../src/domain/demo/prng.ts'
import { upnGenerator } from '../src/domain/demo/identifiers.ts'

const ETHNICITIES = ['WBRI', 'WBRI', 'WBRI', 'WOTH', 'MWBC', 'AIND', 'APKN', 'BAFR', 'BCRB', 'OOTH', 'NOBT']
const SOURCES = ['1A', '2A', '3A', '3B', '4', '5A', '5D', '6', '6', '7', '8', '9']
const NEEDS = ['N1', 'N1', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8']
const FACTORS = ['1B', '2B', '3A', '3B', '4B', '5A', '6A', '10A', '11A', '14A', '16A', '17A', '18C', '19C', '24A']
const CATEGORIES = ['NEG', 'EMO', 'PHY', 'SAB']
const DISABILITIES = ['MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA']

function weekday(date: string): string {
  let d = date
  while (isWeekend(d)) d = addDays(d, 1)
  return d
}

export function syntheticCensusChild(seed: number, index: number, year: number): CensusChild {
  const rng = new Prng(seed, index)
  const end = `${year}-03-31`
  const start = `${year - 1}-04-01`
  const day = (from: string, span: number) => addDays(from, rng.int(0, span))
  const unborn = rng.chance(0.02)
  const dob = unborn ? undefined : day(addDays(end, -17 * 365), 16 * 365)
  const child: CensusChild = {
    laChildId: `C${String(index + 1).padStart(7, '0')}`,
    episodes: [],
    ethnicity: rng.pick(ETHNICITIES),
  }
  if (unborn) {
    child.expectedPersonBirthDate = day(end, 180)
    child.sex = 'U'
    child.upnUnknown = 'UN1'
  } else {
    child.personBirthDate = dob
    child.sex = rng.chance(0.5) ? 'F' : 'M'
    if (dob! <= addDays(end, -5 * 365 - 2)) child.upn = upnGenerator(seed)(index)
    else child.upnUnknown = 'UN1'
    child.disabilities = rng.chance(0.9) ? ['NONE'] : rng.sample(DISABILITIES, rng.int(1, 3))
  }
  const episodes = rng.chance(0.15) ? 2 : 1
  let from = rng.chance(0.2) ? day(addDays(start, -300), 200) : day(start, 200)
  if (dob !== undefined && from < dob) from = day(dob, 10)
  if (child.expectedPersonBirthDate !== undefined) from = day(addDays(end, -60), 50)
  if (from > end) from = end
  for (let n = 0; n < episodes; n++) {
    const last = n === episodes - 1
    const episode = journey(rng, from, start, end, last)
    child.episodes.push(episode)
    if (episode.closureDate === undefined) break
    from = addDays(episode.closureDate, rng.int(1, 40))
    if (from > end) break
  }
  injectError(rng, child)
  return child
}

function journey(rng: Prng, referral: string, start: string, end: string, last: boolean): CensusEpisode {
  const e: CensusEpisode = { ...emptyEpisode(), referralDate: referral, referralSource: rng.pick(SOURCES), referralNfa: '0' }
  const carriedIn = referral < start
  const kind = carriedIn ? 'cin-plan' : rng.weighted([['nfa', 20], ['assessment', 40], ['cin-plan', 22], ['cp', 18]] as const)
  if (kind === 'nfa') {
    e.referralNfa = '1'
    e.closureDate = referral
    e.reasonForClosure = 'RC7'
    return e
  }
  e.primaryNeedCode = rng.pick(NEEDS)
  if (carriedIn) {
    const plan: { startDate: string; endDate?: string } = { startDate: addDays(referral, 40) }
    e.cinPlans.push(plan)
    if (!last || rng.chance(0.3)) {
      plan.endDate = addDays(start, rng.int(10, 200))
      closeOn(e, plan.endDate, 'RC7')
    }
    return e
  }
  const assessmentStart = addDays(referral, rng.int(0, 5))
  if (assessmentStart > end) return e
  const authorised = addDays(assessmentStart, rng.int(10, 44))
  if (authorised > end) {
    e.assessments.push({ startDate: assessmentStart })
    return e
  }
  e.assessments.push({ startDate: assessmentStart, authorisationDate: authorised, factors: rng.sample(FACTORS, rng.int(1, 3)) })
  if (kind === 'assessment') {
    if (!last || rng.chance(0.8)) closeOn(e, authorised, rng.pick(['RC8', 'RC9']))
    return e
  }
  if (kind === 'cin-plan') {
    const planStart = addDays(authorised, 1)
    if (planStart > end) return e
    const planEnd = addDays(planStart, rng.int(30, 300))
    if (planEnd <= end && (!last || rng.chance(0.5))) {
      e.cinPlans.push({ startDate: planStart, endDate: planEnd })
      closeOn(e, planEnd, 'RC7')
    } else e.cinPlans.push({ startDate: planStart })
    return e
  }
  const s47Start = addDays(assessmentStart, 1)
  const target = weekday(addDays(s47Start, 21))
  if (target > end) {
    e.section47s.push({ startDate: s47Start, icpcNotRequired: '0' })
    return e
  }
  e.section47s.push({ startDate: s47Start, initialCpcTarget: target, dateOfInitialCpc: target, icpcNotRequired: '0' })
  const category = rng.pick(CATEGORIES)
  const plan: CensusChildProtectionPlan = { startDate: target, initialCategory: category, latestCategory: category, numberOfPreviousCpp: String(rng.int(0, 1)), reviews: [] }
  for (let review = addDays(target, 90); review <= end; review = addDays(review, 180)) plan.reviews!.push(weekday(review))
  const planEnd = addDays(target, rng.int(100, 400))
  if (planEnd <= end && (!last || rng.chance(0.4))) {
    plan.endDate = planEnd
    plan.reviews = plan.reviews!.filter((r) => r <= planEnd)
    closeOn(e, planEnd, 'RC7')
  }
  e.childProtectionPlans.push(plan)
  return e
}

function closeOn(e: CensusEpisode, date: string, reason: string): void {
  e.closureDate = date
  e.reasonForClosure = reason
}

/** About 1% of children get one of the kinds of error the reference fixture has. */
function injectError(rng: Prng, child: CensusChild): void {
  if (!rng.chance(0.01)) return
  const first = child.episodes[0]!
  switch (rng.int(0, 3)) {
    case 0:
      if (child.upn) child.upn = (child.upn[0] === 'A' ? 'B' : 'A') + child.upn.slice(1)
      break
    case 1:
      if (first.referralNfa === '0') first.primaryNeedCode = undefined
      break
    case 2:
      if (first.assessments[0]?.factors) first.assessments[0].factors.push(first.assessments[0].factors[0]!)
      break
    default:
      child.laChildId = `C${String(rng.int(1, 1000)).padStart(7, '0')}`
  }
}

/** Writes a census of `children` children to `path`; returns its size in bytes. */
export async function writeSyntheticCensus(path: string, children: number, year = 2025, seed = 7): Promise<number> {
  const out = createWriteStream(path)
  let bytes = 0
  const put = async (text: string) => {
    bytes += Buffer.byteLength(text)
    if (!out.write(text)) await once(out, 'drain')
  }
  await put(
    censusOpening({
      collection: 'CIN', year: String(year), referenceDate: `${year}-03-31`, sourceLevel: 'L', lea: '938',
      softwareCode: 'together-bench', release: '1', serialNo: '001', dateTime: `${year}-05-01T09:00:00`,
    }),
  )
  let chunk = ''
  for (let i = 0; i < children; i++) {
    chunk += childXml(syntheticCensusChild(seed, i, year), year)
    if (chunk.length > 1 << 16) {
      await put(chunk)
      chunk = ''
    }
  }
  await put(chunk + CENSUS_CLOSING)
  out.end()
  await once(out, 'finish')
  return bytes
}
