/**
 * "mash-synth" (docs/person-matching.md §3.2), cut to what the matching benchmark measures: a
 * seeded, deterministic population of households (children, twins and triplets, mothers), the
 * source records each agency holds about them with that source's error profile, and referral-style
 * queries (80% about people in the index, 20% about people who are not). Names are drawn from
 * mixed-origin lists with Zipf weights plus invented surnames for the long tail; NHS numbers are
 * from the 999 test range; postcodes are format-valid but invented (ZZ and QQ-style areas aside, the
 * area letters are real, the rest random). Same seed and size, same data.
 */
import { Prng } from '../src/domain/demo/prng.ts'
import { nhsNumberCapacity, nhsNumberGenerator } from '../src/domain/demo/identifiers.ts'
import { canonicalNames } from '../src/domain/person-index/nicknames.ts'
import { fold } from '../src/domain/person-index/text.ts'

export interface TruePerson {
  id: number
  household: number
  given: string
  middle: string | null
  family: string
  /** Family name before a change (step-parent, adoption of a new surname), if any. */
  oldFamily: string | null
  dob: string
  sex: 'M' | 'F'
  nhs: string | null
  postcode: string
  oldPostcode: string | null
  origin: Origin
  adult: boolean
  /** Id of the twin or triplet siblings. */
  multiples: number[]
  motherNhs: string | null
}

export interface SynthRecord {
  truth: number
  source: Source
  sourceId: string
  given: string | null
  middle: string | null
  family: string | null
  dob: string | null
  dobPrecision: 'day' | 'estimated'
  sex: string | null
  nhs: string | null
  postcode: string | null
  /** Earlier surname the source also holds. */
  oldFamily: string | null
}

export interface SynthQuery {
  truth: number | null
  profile: 'police' | 'public'
  givenName: string | null
  familyName: string | null
  dateOfBirth: string | null
  dobPrecision: 'day' | 'estimated'
  sex: string | null
  nhsNumber: string | null
  postcode: string | null
  /** Error kinds applied, for stratified results. */
  errors: string[]
  hasGivenFamilyDob: boolean
}

type Origin = 'british' | 'south-asian' | 'polish' | 'somali-arabic' | 'east-asian' | 'romanian' | 'west-african'
type Source = 'gp' | 'hospital' | 'school' | 'police' | 'csc' | 'health-visitor'

const ORIGINS: [Origin, number][] = [['british', 70], ['south-asian', 10], ['polish', 5], ['somali-arabic', 4], ['east-asian', 3], ['romanian', 3], ['west-african', 5]]

/**
 * First names: real, from published top-names lists (ONS baby names and the doc's §3.2 lists), so
 * the matcher's nickname and spelling-variant tables are exercised as real data would. A first
 * name alone identifies no one.
 */
const GIVEN: Record<Origin, { m: string[]; f: string[] }> = {
  british: {
    m: ['Oliver', 'George', 'Noah', 'Arthur', 'Leo', 'Harry', 'Oscar', 'Theodore', 'Henry', 'Freddie', 'Alfie', 'Charlie', 'Jack', 'Thomas', 'William', 'James', 'Archie', 'Joshua', 'Jacob', 'Alexander', 'Edward', 'Samuel', 'Daniel', 'Benjamin', 'Joseph', 'Max', 'Lucas', 'Isaac', 'Ethan', 'Reuben', 'Robert', 'Frederick', 'Alfred', 'Archibald', 'Christopher', 'Matthew', 'Nicholas', 'Michael', 'Stephen', 'Sean', 'Ciaran', 'Oisin', 'Dafydd', 'Rhys', 'Jayden', 'Kayden', 'Aidan', 'Gary', 'Terence', 'Philip'],
    f: ['Olivia', 'Amelia', 'Isla', 'Lily', 'Freya', 'Ava', 'Ivy', 'Florence', 'Willow', 'Isabella', 'Sophia', 'Grace', 'Evie', 'Poppy', 'Charlotte', 'Emily', 'Millie', 'Matilda', 'Elizabeth', 'Eleanor', 'Margaret', 'Alexandra', 'Catherine', 'Katherine', 'Rebecca', 'Jessica', 'Victoria', 'Abigail', 'Hannah', 'Sophie', 'Zoe', 'Chloe', 'Mia', 'Layla', 'Siobhan', 'Niamh', 'Aoife', 'Evelyn', 'Maisie', 'Isabel', 'Georgia', 'Penelope', 'Madison', 'Natalie', 'Sarah', 'Leigh', 'Josephine', 'Ruby', 'Daisy', 'Phoebe'],
  },
  'south-asian': {
    m: ['Muhammad', 'Mohammed', 'Mohammad', 'Ahmed', 'Ali', 'Hassan', 'Hussain', 'Ibrahim', 'Yusuf', 'Zayn', 'Ayaan', 'Rayyan', 'Arjun', 'Aarav', 'Rohan', 'Omar', 'Bilal', 'Hamza', 'Imran', 'Abdullah'],
    f: ['Aisha', 'Ayesha', 'Fatima', 'Zainab', 'Maryam', 'Khadija', 'Hafsa', 'Inaya', 'Amira', 'Sara', 'Priya', 'Ananya', 'Anaya', 'Safa', 'Noor', 'Hira', 'Iqra', 'Mariam', 'Sana', 'Layla'],
  },
  polish: {
    m: ['Jakub', 'Jan', 'Antoni', 'Szymon', 'Filip', 'Kacper', 'Aleksander', 'Franciszek', 'Mikołaj', 'Wojciech', 'Łukasz', 'Michał'],
    f: ['Zuzanna', 'Julia', 'Zofia', 'Hanna', 'Maja', 'Lena', 'Katarzyna', 'Małgorzata', 'Aleksandra', 'Magdalena', 'Agnieszka', 'Natalia'],
  },
  'somali-arabic': {
    m: ['Mohamed', 'Abdi', 'Ahmed', 'Hassan', 'Ali', 'Yusuf', 'Abdirahman', 'Abdullahi', 'Omar', 'Ibrahim', 'Khalid', 'Mustafa'],
    f: ['Fadumo', 'Hodan', 'Amina', 'Ayan', 'Hawa', 'Sahra', 'Khadija', 'Maryan', 'Aisha', 'Fatima', 'Nasra', 'Hibo'],
  },
  'east-asian': {
    m: ['Wei', 'Jun', 'Hao', 'Ming', 'Xiao-Ming', 'Minh', 'Duc', 'Anh', 'Tuan', 'Jian'],
    f: ['Mei', 'Li', 'Xin', 'Yan', 'Linh', 'Thu', 'Hoa', 'Lan', 'Ying', 'Xiao-Li'],
  },
  romanian: {
    m: ['Andrei', 'Ștefan', 'Mihai', 'Alexandru', 'Ionuț', 'Gheorghe', 'Vlad', 'Cristian'],
    f: ['Ioana', 'Maria', 'Elena', 'Andreea', 'Alexandra', 'Cătălina', 'Bianca', 'Ana'],
  },
  'west-african': {
    m: ['Oluwaseun', 'Chukwuemeka', 'Kwame', 'Kofi', 'Tunde', 'Adebayo', 'Emeka', 'Kwabena', 'Olumide', 'Obinna'],
    f: ['Adaeze', 'Oluwadamilare', 'Abena', 'Ama', 'Chiamaka', 'Folake', 'Ngozi', 'Efua', 'Temitope', 'Yetunde'],
  },
}

/**
 * Family names: all invented, so no generated person is a real one. Each origin has a grammar of
 * made-up beginnings and origin-like endings (gendered -owski/-owska, -escu with ș and ț,
 * al-/el- particles); a fixed pool per origin is drawn with Zipf weights, so a few invented names
 * are about as common as Smith or Khan are (FAMILY_SKEW), with a long tail of rarer ones.
 */
const SURNAME_GRAMMAR: Record<Origin, { starts: string[]; ends: string[] }> = {
  british: {
    starts: ['Quib', 'Zarn', 'Plim', 'Vosk', 'Drob', 'Snib', 'Glim', 'Frob', 'Wuzz', 'Kib', 'Trund', 'Blen', 'Yelt', 'Crimp', 'Mog', 'Tuff', 'Spon', 'Jix', 'Worp', 'Nabb'],
    ends: ['ford', 'ley', 'thorpe', 'wick', 'stead', 'more', 'well', 'ham', 'croft', 'shaw', 'ridge', 'dale', 'worth', 'brook', 'ton', 'field', 'gate', 'hurst', 'cott', 'bury'],
  },
  'south-asian': {
    starts: ['Zub', 'Qaz', 'Bhov', 'Khor', 'Pard', 'Rukh', 'Shaf', 'Vash', 'Ghaz', 'Nund', 'Tahv', 'Jhum'],
    ends: ['ouri', 'oodin', 'ani', 'ullah', 'ekar', 'awala', 'eem', 'aish', 'oudh', 'ari'],
  },
  polish: {
    starts: ['Brzu', 'Wlo', 'Grzy', 'Pszo', 'Zdzi', 'Chru', 'Szcze', 'Kwi', 'Dzu', 'Trzo'],
    ends: ['mblowski', 'rnowski', 'pkiewski', 'glicki', 'ndak', 'tczyk', 'mbek', 'wnicki'],
  },
  'somali-arabic': {
    starts: ['Xaf', 'Cab', 'Dool', 'Warf', 'Qaal', 'Geed', 'Muux', 'Hirs', 'Bood', 'Xuug'],
    ends: ['aaye', 'iido', 'oole', 'ane', 'uure', 'eyle', 'ow', 'aale'],
  },
  'east-asian': {
    starts: ['Zh', 'Q', 'X', 'Th', 'Ngu', 'Ph', 'Kw', 'Hs', 'Dz', 'Tr'],
    ends: ['uoy', 'aen', 'eung', 'iuo', 'oong', 'ueo', 'aoi', 'uenh'],
  },
  romanian: {
    starts: ['Brăt', 'Zdr', 'Vâlc', 'Țug', 'Scârț', 'Mărg', 'Pleș', 'Dârz', 'Frâm', 'Gârb'],
    ends: ['ulescu', 'eanu', 'aru', 'escu', 'oiu', 'ache', 'ățeanu'],
  },
  'west-african': {
    starts: ['Okwu', 'Adeb', 'Oseg', 'Nnam', 'Ayob', 'Kwey', 'Efik', 'Obuz', 'Tunk', 'Asaf'],
    ends: ['zoro', 'lumide', 'fenwa', 'kachi', 'bunmi', 'gbola', 'nkwo', 'daze'],
  },
}

/** Each origin's pool of invented family names, in a fixed order (the first is the commonest). */
const FAMILY: Record<Origin, string[]> = Object.fromEntries(
  (Object.keys(SURNAME_GRAMMAR) as Origin[]).map((origin) => {
    const { starts, ends } = SURNAME_GRAMMAR[origin]
    const rng = new Prng(0x5eed, origin.length, starts.length)
    const pool = new Set<string>()
    while (pool.size < Math.min(120, starts.length * ends.length * 0.6)) {
      let name = rng.pick(starts) + rng.pick(ends)
      if (origin === 'somali-arabic' && rng.chance(0.15)) name = `${rng.pick(['al-', 'el-'])}${name}`
      pool.add(name)
    }
    return [origin, [...pool]]
  }),
) as Record<Origin, string[]>

/** Invented family names are recognisably invented: exported for the generator's test. */
export const INVENTED_FAMILY_NAMES: Readonly<Record<string, readonly string[]>> = FAMILY

/** Postcode areas that cannot exist: no UK postcode area begins with Q. */
const AREAS = ['QA', 'QB', 'QC', 'QD', 'QE', 'QF', 'QG', 'QH', 'QJ', 'QK', 'QL', 'QM', 'QN', 'QP', 'QR', 'QS', 'QT', 'QU', 'QW', 'QY', 'Q']
const LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'

/**
 * How skewed name choice is, set so the commonest names are about as common as in England: the
 * commonest family name about 1.1% of people (the doc's Faker en_GB weights: Smith 1.15%), the
 * commonest first name 2–3% of boys or of girls (ONS baby names: 1–3% across the cohorts). Steeper
 * exponents over pools this short made one invented surname 6% of children and Oliver 11% of boys,
 * so that a first name, an age and a district fitted tens of children where real data fits a few.
 */
const FAMILY_SKEW = 0.3
const GIVEN_SKEW = 0.2

/** Zipf-weighted choice: item k (from 0) has weight 1/(k+1)^s. */
function zipf<T>(rng: Prng, items: readonly T[], s = 1): T {
  let total = 0
  for (let k = 0; k < items.length; k++) total += 1 / (k + 1) ** s
  let r = rng.next() * total
  for (let k = 0; k < items.length; k++) {
    r -= 1 / (k + 1) ** s
    if (r <= 0) return items[k]!
  }
  return items[items.length - 1]!
}

const pad = (n: number) => String(n).padStart(2, '0')
const iso = (d: Date) => d.toISOString().slice(0, 10)

/** A rarer invented family name of the origin: two beginnings and an ending (the long tail). */
function inventedSurname(rng: Prng, origin: Origin): string {
  const { starts, ends } = SURNAME_GRAMMAR[origin]
  const second = rng.pick(starts).toLowerCase()
  return rng.pick(starts) + (origin === 'east-asian' ? '' : second.slice(0, 2)) + rng.pick(ends)
}

function postcodeIn(rng: Prng, district?: string): string {
  const d = district ?? `${rng.pick(AREAS)}${rng.int(1, 29)}`
  return `${d} ${rng.int(1, 9)}${LETTERS[rng.int(0, LETTERS.length - 1)]}${LETTERS[rng.int(0, LETTERS.length - 1)]}`
}

export interface Population {
  people: TruePerson[]
  /** People generated for "not in the index" queries: never given source records. */
  unknown: TruePerson[]
}

/** Households until `target` people are in the index, plus 1 in 30 households held back as unknown. */
export function generatePopulation(seed: number, target: number, today = '2026-11-01'): Population {
  const rng = new Prng(seed, 1)
  const nhsOf = nhsNumberGenerator(seed)
  const capacity = nhsNumberCapacity()
  let nhsIndex = 0
  const nextNhs = () => (nhsIndex < capacity && rng.chance(0.92) ? nhsOf(nhsIndex++) : null)
  const people: TruePerson[] = []
  const unknown: TruePerson[] = []
  const todayMs = Date.parse(`${today}T00:00:00Z`)
  let household = 0
  let id = 0
  while (people.length < target) {
    household++
    const heldBack = rng.chance(1 / 30)
    const into = heldBack ? unknown : people
    const origin = rng.weighted(ORIGINS)
    const pool = GIVEN[origin]
    let family = rng.chance(0.35) ? inventedSurname(rng, origin) : zipf(rng, FAMILY[origin], FAMILY_SKEW)
    if (origin === 'british' && rng.chance(0.05)) family = `${family}-${zipf(rng, FAMILY.british, FAMILY_SKEW)}`
    const postcode = postcodeIn(rng)
    const district = postcode.split(' ')[0]!
    const moved = rng.chance(0.12) ? postcodeIn(rng, rng.chance(0.7) ? district : undefined) : null
    const motherFamily = rng.chance(0.2) ? (origin === 'polish' && family.endsWith('ski') ? family.replace(/ski$/, 'ska') : inventedSurname(rng, origin)) : family
    const motherDob = iso(new Date(todayMs - rng.int(20 * 365, 50 * 365) * 86_400_000))
    const mother: TruePerson = {
      id: id++, household, given: zipf(rng, pool.f, GIVEN_SKEW), middle: null, family: motherFamily, oldFamily: null, dob: motherDob, sex: 'F',
      nhs: nextNhs(), postcode: moved ?? postcode, oldPostcode: moved ? postcode : null, origin, adult: true, multiples: [], motherNhs: null,
    }
    into.push(mother)
    const blended = rng.chance(0.15)
    let children = 0
    do children = Math.round(-Math.log(1 - rng.next()) * 1.8)
    while (children < 1 || children > 8)
    for (let c = 0; c < children; c++) {
      const ageDays = rng.int(0, 17 * 365 + 364)
      const dob = iso(new Date(todayMs - ageDays * 86_400_000))
      const births = rng.chance(0.0285) ? 2 : rng.chance(0.0005) ? 3 : 1
      const group: TruePerson[] = []
      // A surname change in a blended family applies to a twin pair together.
      const changed = blended && rng.chance(0.5)
      const newFamily = changed ? inventedSurname(rng, origin) : family
      for (let b = 0; b < births; b++) {
        const sex = rng.chance(0.5) ? 'M' : 'F'
        let given = zipf(rng, sex === 'M' ? pool.m : pool.f, GIVEN_SKEW)
        // Twins have different names: not the same name, nor spellings or short forms of one.
        const taken = (n: string) => group.some((g) => g.given === n || canonicalNames(fold(g.given)).some((c) => canonicalNames(fold(n)).includes(c)))
        while (taken(given)) given = zipf(rng, sex === 'M' ? pool.m : pool.f, GIVEN_SKEW)
        group.push({
          id: id++, household, given, middle: rng.chance(0.4) ? zipf(rng, sex === 'M' ? pool.m : pool.f) : null,
          family: newFamily, oldFamily: changed ? family : null,
          dob, sex, nhs: nextNhs(), postcode: moved ?? postcode, oldPostcode: moved ? postcode : null, origin, adult: false, multiples: [], motherNhs: mother.nhs,
        })
      }
      for (const g of group) g.multiples = group.filter((o) => o !== g).map((o) => o.id)
      into.push(...group)
    }
  }
  return { people, unknown }
}

// ---- errors

const KEYBOARD: Record<string, string> = {
  a: 'qsz', b: 'vgn', c: 'xdv', d: 'sfe', e: 'wrd', f: 'dgr', g: 'fht', h: 'gjy', i: 'uok', j: 'hku', k: 'jli', l: 'kop', m: 'nj',
  n: 'bmh', o: 'ipl', p: 'ol', q: 'wa', r: 'etf', s: 'adw', t: 'ryg', u: 'yij', v: 'cbf', w: 'qes', x: 'zsc', y: 'tuh', z: 'xa',
}

function typo(rng: Prng, s: string): string {
  if (s.length < 3) return s
  const i = rng.chance(0.92) ? rng.int(1, s.length - 1) : 0
  const c = s[i]!.toLowerCase()
  const kind = rng.weighted([['sub', 59], ['del', 16], ['ins', 10], ['swap', 2], ['multi', 13]] as const)
  const near = KEYBOARD[c] ?? 'e'
  const sub = near[rng.int(0, near.length - 1)]!
  if (kind === 'sub') return s.slice(0, i) + sub + s.slice(i + 1)
  if (kind === 'del') return s.slice(0, i) + s.slice(i + 1)
  if (kind === 'ins') return s.slice(0, i) + sub + s.slice(i)
  if (kind === 'swap' && i < s.length - 1) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2)
  return typo(rng, s.slice(0, i) + sub + s.slice(i + 1))
}

const PHONETIC: [RegExp, string][] = [[/ph/, 'f'], [/f/, 'ph'], [/c(?=[aou])/, 'k'], [/k/, 'c'], [/ie$/, 'y'], [/y$/, 'ie'], [/ey$/, 'y'], [/ei/, 'ey'], [/son$/, 'sen'], [/ll/, 'l'], [/(?<!l)l(?!l)/, 'll'], [/tt/, 't'], [/mc/i, 'Mac'], [/ai/, 'ay']]
function phonetic(rng: Prng, s: string): string {
  const options = PHONETIC.filter(([re]) => re.test(s))
  if (options.length === 0) return typo(rng, s)
  const [re, to] = rng.pick(options)
  return s.replace(re, to)
}

const NICK: Record<string, string[]> = {
  Alfred: ['Alfie', 'Alf'], Frederick: ['Freddie', 'Fred'], Oliver: ['Ollie'], Charlotte: ['Lottie', 'Charlie'], Charles: ['Charlie'], Isabella: ['Izzy', 'Bella'],
  Isabel: ['Izzy'], Matilda: ['Tilly'], Margaret: ['Maisie', 'Maggie'], Alexander: ['Alex'], Alexandra: ['Lexi', 'Alex'], Henry: ['Harry'], Thomas: ['Tom'],
  William: ['Will', 'Billy'], James: ['Jamie', 'Jim'], Robert: ['Bobby', 'Rob'], Elizabeth: ['Lizzie', 'Beth'], Eleanor: ['Ellie'], Katherine: ['Kate', 'Katie'],
  Catherine: ['Kate', 'Cathy'], Rebecca: ['Becky'], Jessica: ['Jess'], Victoria: ['Vicky'], Samuel: ['Sam'], Benjamin: ['Ben'], Daniel: ['Danny'], Joseph: ['Joe'],
  Christopher: ['Chris'], Matthew: ['Matt'], Nicholas: ['Nick'], Michael: ['Mike'], Edward: ['Eddie', 'Ted'], Archibald: ['Archie'], Evelyn: ['Evie'], Amelia: ['Millie'],
  Emily: ['Millie'], Katarzyna: ['Kasia'], Małgorzata: ['Gosia'], Jakub: ['Kuba'], Aleksandra: ['Ola'], Magdalena: ['Magda'], Jan: ['Janek'], Gary: ['Gaz'], Terence: ['Terry', 'Tez'],
  Joshua: ['Josh'], Theodore: ['Theo'], Penelope: ['Penny'], Josephine: ['Josie'], Abigail: ['Abbie'], Natalie: ['Nat'],
}
const VARIANT: Record<string, string[]> = {
  Muhammad: ['Mohammed', 'Mohammad', 'Mohamed', 'Muhammed'], Mohammed: ['Muhammad', 'Mohamed'], Mohammad: ['Muhammad', 'Mohammed'], Mohamed: ['Maxamed', 'Mohammed', 'Muhammad'],
  Aisha: ['Ayesha', 'Aysha'], Ayesha: ['Aisha'], Hussain: ['Hussein', 'Husain'], Abdi: ['Cabdi'], Ali: ['Cali'],
  Zoe: ['Zoey'], Leigh: ['Lee'], Jayden: ['Jaiden', 'Jaden'], Sophie: ['Sofie', 'Sophia'], Mia: ['Miya'], Chloe: ['Khloe'], Siobhan: ['Shevaun', 'Chevonne'],
  Layla: ['Leila', 'Laila'], Rhys: ['Reece'], Sarah: ['Sara'], Aidan: ['Aiden'], Kayden: ['Caden'], Abdirahman: ['Abdulrahman', 'Abdul Rahman'],
  Yusuf: ['Yousuf', 'Yousef'], Fatima: ['Fatimah'], Maryam: ['Mariam'], Khadija: ['Khadijah'], Hassan: ['Hasan'],
}

/**
 * Romanisation variants of (invented) family names, the way agencies transliterate differently:
 * Somali x/c orthography against English spelling, doubled vowels, Chinese and Vietnamese
 * romanisations, Polish w heard as v.
 */
const FAMILY_RESPELLING: Partial<Record<Origin, [RegExp, string][]>> = {
  'south-asian': [[/ou/, 'ow'], [/oo/, 'u'], [/dh/, 'd'], [/ee/, 'i'], [/v/, 'w'], [/kh/i, 'K']],
  'somali-arabic': [[/^X/, 'H'], [/^C/, ''], [/aa/, 'a'], [/oo/, 'o'], [/uu/, 'u'], [/^al-/, 'el-']],
  'east-asian': [[/^Zh/, 'J'], [/^Q/, 'Ch'], [/^X/, 'Hs'], [/ao/, 'ow'], [/uo/, 'wo']],
  polish: [[/w(?=[aeiou])/, 'v']],
}
function respellFamily(origin: Origin, family: string): string {
  const rules = FAMILY_RESPELLING[origin] ?? []
  const rule = rules.find(([re]) => re.test(family))
  if (!rule) return family
  const out = family.replace(rule[0], rule[1])
  return out[0]!.toUpperCase() + out.slice(1)
}

const stripAccents = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l').replace(/Ł/g, 'L')
const CEDILLA: Record<string, string> = { 'ș': 'ş', 'ț': 'ţ', 'Ș': 'Ş', 'Ț': 'Ţ' }

/** Per-source behaviour (docs/person-matching.md §3.2 table 5), as multipliers of the base error rates. */
const SOURCES: Record<Source, { nhs: number; dobMissing: number; dobEstimate: number; noise: number; swapNames: number }> = {
  gp: { nhs: 0.99, dobMissing: 0, dobEstimate: 0, noise: 0.5, swapNames: 1 },
  hospital: { nhs: 0.85, dobMissing: 0, dobEstimate: 0, noise: 1, swapNames: 1 },
  school: { nhs: 0.1, dobMissing: 0, dobEstimate: 0, noise: 0.7, swapNames: 1 },
  police: { nhs: 0.05, dobMissing: 0.1, dobEstimate: 0.2, noise: 3, swapNames: 3 },
  csc: { nhs: 0.7, dobMissing: 0.02, dobEstimate: 0, noise: 1.2, swapNames: 1 },
  'health-visitor': { nhs: 0.95, dobMissing: 0, dobEstimate: 0, noise: 0.8, swapNames: 1 },
}

interface Fields {
  given: string | null
  middle: string | null
  family: string | null
  dob: string | null
  dobPrecision: 'day' | 'estimated'
  sex: string | null
  nhs: string | null
  postcode: string | null
}

/** Applies the error model (§3.2 table 6) to a person's true fields. */
function corrupt(rng: Prng, p: TruePerson, m: number, profile: { nhs: number; dobMissing: number; dobEstimate: number; swapNames: number }, errors: string[]): Fields {
  const hit = (rate: number, kind: string) => {
    const yes = rng.chance(Math.min(0.9, rate * m))
    if (yes) errors.push(kind)
    return yes
  }
  let given: string | null = p.given
  let middle = p.middle
  let family: string | null = p.family
  if (hit(0.06, 'nickname') && NICK[given]) given = rng.pick(NICK[given]!)
  else if (VARIANT[given] && rng.chance(0.3)) { given = rng.pick(VARIANT[given]!); errors.push('transliteration') }
  else if (hit(0.03, 'typo-given')) given = typo(rng, given)
  else if (hit(0.03, 'phonetic-given')) given = phonetic(rng, given)
  else if (middle && hit(0.02, 'middle-as-first')) [given, middle] = [middle, null]
  else if (hit(0.01, 'initial')) given = given[0]!
  const respelt = respellFamily(p.origin, p.family)
  if (respelt !== p.family && rng.chance(0.3)) { family = respelt; errors.push('transliteration') }
  else if (hit(0.03, 'typo-family')) family = typo(rng, p.family)
  else if (hit(0.03, 'phonetic-family')) family = phonetic(rng, p.family)
  if (family && family.includes('-') && rng.chance(0.4)) { family = rng.pick(family.split('-')); errors.push('double-barrel') }
  if (p.origin === 'polish' && family && /ski$/.test(family) && p.sex === 'F' && rng.chance(0.2)) { family = family.replace(/ski$/, 'ska'); errors.push('gendered-surname') }
  if (p.oldFamily && rng.chance(0.5)) { family = p.oldFamily; errors.push('old-surname') }
  if (hit(0.01 * profile.swapNames, 'name-swap')) [given, family] = [family, given]
  if (hit(0.01, 'missing-given')) given = null
  // Text noise: diacritics dropped, Romanian cedilla forms, case.
  const noise = (s: string | null) => {
    if (!s) return s
    let out = s
    if (rng.chance(0.5)) out = stripAccents(out)
    else if (rng.chance(0.5)) out = out.replace(/[șțȘȚ]/g, (c) => CEDILLA[c]!)
    if (rng.chance(0.2)) out = rng.chance(0.5) ? out.toUpperCase() : ` ${out.toLowerCase()} `
    return out
  }
  let dob: string | null = p.dob
  let dobPrecision: 'day' | 'estimated' = 'day'
  const [y, mo, d] = p.dob.split('-').map(Number) as [number, number, number]
  if (rng.chance(profile.dobMissing)) { dob = null; errors.push('dob-missing') }
  else if (rng.chance(profile.dobEstimate)) { dob = `${y + rng.int(-1, 1)}-07-01`; dobPrecision = 'estimated'; errors.push('dob-estimate') }
  else if (d <= 12 && d !== mo && hit(0.01, 'dob-swap')) dob = `${y}-${pad(d)}-${pad(mo)}`
  else if (hit(0.015, 'dob-typo')) {
    const digits = p.dob.replace(/-/g, '').split('')
    const i = rng.pick([3, 5, 7])
    digits[i] = String((Number(digits[i]) + rng.int(1, 8)) % 10)
    const s = digits.join('')
    const candidate = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`
    dob = Number.isNaN(Date.parse(candidate)) || iso(new Date(`${candidate}T00:00:00Z`)) !== candidate ? p.dob : candidate
  } else if (hit(0.005, 'dob-off-by-one')) dob = iso(new Date(Date.parse(`${p.dob}T00:00:00Z`) + (rng.chance(0.5) ? 1 : -1) * 86_400_000))
  else if (hit(0.005, 'dob-year')) dob = `${y + (rng.chance(0.5) ? 1 : -1)}-${pad(mo)}-${pad(d)}`
  else if (hit(0.003, 'dob-default')) dob = `${y}-01-01`
  let postcode: string | null = p.postcode
  if (p.oldPostcode && rng.chance(0.5)) { postcode = p.oldPostcode; errors.push('old-postcode') }
  if (hit(0.01, 'postcode-typo')) postcode = postcode![0] + typo(rng, postcode!.slice(1).toLowerCase()).toUpperCase()
  else if (hit(0.005, 'postcode-o0')) postcode = postcode!.replace(/0/g, 'O')
  else if (hit(0.03, 'postcode-outward')) postcode = postcode!.split(' ')[0]!
  let nhs = p.nhs && rng.chance(profile.nhs) ? p.nhs : null
  // Slips fall after the 999 prefix, so even a mistyped number stays in the test range.
  if (nhs && hit(0.003, 'nhs-transposed')) { const i = rng.int(3, 8); nhs = nhs.slice(0, i) + nhs[i + 1] + nhs[i] + nhs.slice(i + 2) }
  else if (nhs && hit(0.003, 'nhs-digit')) { const i = rng.int(3, 9); nhs = nhs.slice(0, i) + String((Number(nhs[i]) + rng.int(1, 9)) % 10) + nhs.slice(i + 1) }
  let sex: string | null = p.sex
  if (rng.chance(0.03)) sex = null
  else if (rng.chance(0.005)) sex = p.sex === 'M' ? 'F' : 'M'
  return { given: noise(given), middle: noise(middle), family: noise(family), dob, dobPrecision, sex, nhs, postcode }
}

/** The records the agencies hold about each person. */
export function* generateRecords(seed: number, people: readonly TruePerson[], today = '2026-11-01'): Generator<SynthRecord> {
  const todayMs = Date.parse(`${today}T00:00:00Z`)
  let serial = 0
  for (const p of people) {
    const rng = new Prng(seed, 2, p.id)
    const ageYears = (todayMs - Date.parse(`${p.dob}T00:00:00Z`)) / (365.25 * 86_400_000)
    const plan: [Source, number][] = p.adult
      ? [['gp', 1], ['csc', 0.1]]
      : [['gp', 1.0], ['hospital', 0.4], ['school', ageYears >= 4 ? 0.9 : 0], ['police', 0.15], ['csc', 0.3], ['health-visitor', ageYears <= 5 ? 0.5 : 0]]
    for (const [source, rate] of plan) {
      const count = rate >= 1 ? 1 : rng.chance(rate) ? 1 : 0
      for (let i = 0; i < count + (source === 'csc' && count && rng.chance(0.1) ? 1 : 0); i++) {
        const profile = SOURCES[source]
        const f = corrupt(rng, p, profile.noise, profile, [])
        const newborn = !p.adult && ageYears < 28 / 365
        if (source === 'hospital' && newborn && rng.chance(0.3)) {
          f.given = rng.pick(['Baby', 'Baby of', 'Twin 1', 'Infant'])
          f.middle = null
          if (rng.chance(0.03) && p.motherNhs) f.nhs = p.motherNhs
        }
        yield {
          truth: p.id, source, sourceId: `${source.toUpperCase()}-${(serial++).toString(36)}`, given: f.given, middle: f.middle, family: f.family,
          dob: f.dob, dobPrecision: f.dobPrecision, sex: f.sex, nhs: f.nhs, postcode: f.postcode,
          oldFamily: p.oldFamily && f.family !== p.oldFamily && source !== 'police' && rng.chance(0.5) ? p.oldFamily : null,
        }
      }
    }
  }
}

/** Referral-style queries: 80% about children in the index, 20% about children who are not. */
export function generateQueries(seed: number, population: Population, count: number): SynthQuery[] {
  const rng = new Prng(seed, 3)
  const known = population.people.filter((p) => !p.adult)
  const unknown = population.unknown.filter((p) => !p.adult)
  const out: SynthQuery[] = []
  for (let i = 0; i < count; i++) {
    const isKnown = rng.chance(0.8)
    const p = isKnown ? rng.pick(known) : rng.pick(unknown)
    const profile = rng.chance(0.5) ? 'police' : 'public'
    const errors: string[] = []
    const f = corrupt(rng, p, profile === 'police' ? 1.5 : 1, profile === 'police' ? SOURCES.police : { nhs: 0.01, dobMissing: 0, dobEstimate: 0.5, swapNames: 1 }, errors)
    if (profile === 'public') {
      if (rng.chance(0.3)) { f.family = null; errors.push('first-name-only') }
      if (f.postcode && rng.chance(0.5)) f.postcode = f.postcode.split(' ')[0]!
    }
    out.push({
      truth: isKnown ? p.id : null, profile, givenName: f.given, familyName: f.family, dateOfBirth: f.dob, dobPrecision: f.dobPrecision,
      sex: f.sex, nhsNumber: f.nhs, postcode: f.postcode, errors, hasGivenFamilyDob: !!(f.given && f.family && f.dob && f.dobPrecision === 'day'),
    })
  }
  return out
}

/**
 * A source record as a row of `together import people` (the contract's columns, the earlier surname
 * in previous_family_names). The generator's typos make some rows fail their checks (an NHS number
 * whose check digit no longer fits): those are the bad rows an import skips.
 */
export function importRecord(r: SynthRecord): Record<string, string> {
  return {
    source_system: r.source,
    source_id: r.sourceId,
    given_name: r.given ?? '',
    middle_names: r.middle ?? '',
    family_name: r.family ?? '',
    date_of_birth: r.dob ?? '',
    sex: r.sex ?? '',
    nhs_number: r.nhs ?? '',
    postcode: r.postcode ?? '',
    address_line: '',
    previous_family_names: r.oldFamily ?? '',
  }
}

/**
 * The rows of a people file for `people` in the index: every record, then one in forty again with a
 * later postcode (a re-sent record: an update), and a row in a hundred with a date that is not one.
 */
export function importFile(seed: number, people: number): Record<string, string>[] {
  const rows = [...generateRecords(seed, generatePopulation(seed, people).people)].map(importRecord)
  const out: Record<string, string>[] = []
  for (const [i, row] of rows.entries()) {
    out.push(i % 100 === 57 ? { ...row, date_of_birth: '31/02/2015' } : row)
    if (i % 40 === 13 && i > 100) out.push({ ...rows[i - 90]!, postcode: row.postcode ?? '' })
  }
  return out
}
