/**
 * A simple genogram of a child's family network, laid out for an SVG drawing. Pure: it turns the
 * child and their (current) relationships into positions, shapes and lines; a template draws them.
 *
 * Conventions (standard genogram notation): males are squares, females circles, and people whose
 * sex is unknown diamonds; the child (the index person) has a double outline; the people who live
 * in the child's household are inside one dashed boundary. Generations run top to bottom:
 * grandparents; parents, carers, partners of parents (and others); the child and siblings.
 */
import { labelOf, RELATIONSHIP_KIND } from './codes.ts'

export interface GenogramPerson {
  id: string
  name: string
  /** DfE sex code: M, F or U (null when not recorded). */
  sex: string | null
}

export interface GenogramRelation extends GenogramPerson {
  /** RELATIONSHIP_KIND code: how this person relates to the child. */
  kind: string
  sameHousehold: boolean
  parentalResponsibility: boolean
}

/** How one member of the network relates to another: `relatedId` is `kind` (RELATIONSHIP_KIND) of `personId`. */
export interface GenogramLink {
  personId: string
  relatedId: string
  kind: string
}

export interface GenogramInput {
  child: GenogramPerson
  /** The child's current relationships (ended ones are left out by the caller). */
  relations: GenogramRelation[]
  /** Current relationships between members of the network (e.g. a grandparent to the mother). */
  links?: GenogramLink[]
}

export type Shape = 'square' | 'circle' | 'diamond'
/** 0 grandparents, 1 parents and carers, 2 the child and siblings. */
export type Generation = 0 | 1 | 2

export interface GenogramNode {
  id: string
  name: string
  /** The name as drawn: shortened to fit its column (the table beside it has the full name). */
  label: string
  /** What the drawing prints under the name, e.g. "Parent, PR". */
  caption: string
  /** RELATIONSHIP_KIND codes of this person (one person may be, say, parent and carer), or ['child']. */
  kinds: string[]
  shape: Shape
  generation: Generation
  /** Centre of the shape. */
  x: number
  y: number
  household: boolean
  parentalResponsibility: boolean
  /** The child the genogram is about. */
  index: boolean
}

export interface GenogramLine {
  from: string
  to: string
  /** 'member': between two members of the network (`from` is the related one, e.g. the grandparent). */
  kind: 'parent' | 'carer' | 'sibling' | 'member'
  /** Polyline points "x,y x,y ...". */
  points: string
}

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

export interface GenogramLayout {
  width: number
  height: number
  /** The side of a square (and diameter of a circle) in the drawing. */
  size: number
  nodes: GenogramNode[]
  lines: GenogramLine[]
  /** The dashed household boundary, when anyone lives with the child. */
  household: Box | null
  title: string
  description: string
}

const SIZE = 40
const COLUMN = 150
const ROW = 140
/** Depth of the name and caption under a shape; lines start below them so they never cross text. */
const LABELS = 40
const MARGIN = 20
/** Room above the first row for the household boundary's label. */
const HEADER = 24
const NAME_LENGTH = 22

const GENERATION_OF: Record<string, Generation> = {
  grandparent: 0,
  parent: 1,
  carer: 1,
  'partner-of-parent': 1,
  other: 1,
  sibling: 2,
}

/** Order within a row: parents before carers before partners of parents before others. */
const KIND_ORDER = ['parent', 'carer', 'partner-of-parent', 'other', 'grandparent', 'sibling']

export function shapeOf(sex: string | null): Shape {
  return sex === 'M' ? 'square' : sex === 'F' ? 'circle' : 'diamond'
}

const truncate = (s: string) => (s.length > NAME_LENGTH ? `${s.slice(0, NAME_LENGTH - 1)}…` : s)
const kindLabel = (kind: string) => labelOf(RELATIONSHIP_KIND, kind)
const rank = (kinds: string[]) => Math.min(...kinds.map((k) => KIND_ORDER.indexOf(k)).filter((i) => i >= 0), KIND_ORDER.length)

interface Member {
  person: GenogramPerson
  kinds: string[]
  household: boolean
  parentalResponsibility: boolean
}

/** One member per related person, however many kinds of relationship they have to the child. */
function membersOf(relations: GenogramRelation[]): Member[] {
  const byPerson = new Map<string, Member>()
  for (const r of relations) {
    const m = byPerson.get(r.id)
    if (m) {
      if (!m.kinds.includes(r.kind)) m.kinds.push(r.kind)
      m.household ||= r.sameHousehold
      m.parentalResponsibility ||= r.parentalResponsibility
    } else {
      byPerson.set(r.id, { person: r, kinds: [r.kind], household: r.sameHousehold, parentalResponsibility: r.parentalResponsibility })
    }
  }
  for (const m of byPerson.values()) m.kinds.sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b))
  return [...byPerson.values()]
}

const generationOf = (m: Member): Generation => GENERATION_OF[m.kinds[0]!] ?? 1

/** Household members first (so one boundary can enclose them), then by kind, then by name. */
function rowOrder(a: Member, b: Member): number {
  if (a.household !== b.household) return a.household ? -1 : 1
  return rank(a.kinds) - rank(b.kinds) || a.person.name.localeCompare(b.person.name)
}

export function layoutGenogram(input: GenogramInput): GenogramLayout {
  const members = membersOf(input.relations.filter((r) => r.id !== input.child.id))
  const rows: Member[][] = [[], [], []]
  for (const m of members) rows[generationOf(m)]!.push(m)
  for (const row of rows) row.sort(rowOrder)
  const childMember: Member = { person: input.child, kinds: ['child'], household: true, parentalResponsibility: false }
  rows[2]!.unshift(childMember)

  const anyHousehold = members.some((m) => m.household)
  // Non-household people start right of the widest household row, so the boundary holds only
  // household members whichever rows they are in.
  const householdColumns = anyHousehold ? Math.max(...rows.map((row) => row.filter((m) => m.household).length)) : 0
  const present = ([0, 1, 2] as const).filter((g) => rows[g]!.length > 0)

  const nodes: GenogramNode[] = []
  let columns = 1
  present.forEach((generation, rowIndex) => {
    const row = rows[generation]!
    const householdCount = anyHousehold ? row.filter((m) => m.household).length : 0
    row.forEach((m, i) => {
      const column = anyHousehold && !m.household ? householdColumns + (i - householdCount) : i
      columns = Math.max(columns, column + 1)
      nodes.push(nodeOf(m, generation, column, rowIndex))
    })
  })

  const width = MARGIN * 2 + columns * COLUMN
  const height = MARGIN * 2 + HEADER + present.length * ROW
  const household = anyHousehold ? householdBox(nodes, householdColumns) : null
  const child = nodes.find((n) => n.index)!
  return {
    width,
    height,
    size: SIZE,
    nodes,
    lines: [...linesTo(child, nodes), ...linksBetween(nodes, input.links ?? [])],
    household,
    title: `Genogram of ${input.child.name}`,
    description: describe(input.child.name, members, nodes, input.links ?? []),
  }
}

function nodeOf(m: Member, generation: Generation, column: number, rowIndex: number): GenogramNode {
  const index = m.kinds[0] === 'child'
  const caption = index
    ? 'The child'
    : [m.kinds.map(kindLabel).join(', '), m.parentalResponsibility ? 'PR' : null].filter(Boolean).join(', ')
  return {
    id: m.person.id,
    name: m.person.name,
    label: truncate(m.person.name),
    caption,
    kinds: m.kinds,
    shape: shapeOf(m.person.sex),
    generation,
    x: MARGIN + column * COLUMN + COLUMN / 2,
    y: MARGIN + HEADER + rowIndex * ROW + SIZE / 2 + 8,
    household: m.household,
    parentalResponsibility: m.parentalResponsibility,
    index,
  }
}

/** The dashed boundary: the household columns, from the first to the last row with a member. */
function householdBox(nodes: GenogramNode[], householdColumns: number): Box {
  const inside = nodes.filter((n) => n.household)
  const top = Math.min(...inside.map((n) => n.y)) - SIZE / 2 - 16
  const bottom = Math.max(...inside.map((n) => n.y)) + SIZE / 2 + LABELS + 2
  return { x: MARGIN + 6, y: top, width: householdColumns * COLUMN - 12, height: bottom - top }
}

/**
 * Parents and carers down to the child (starting below their name and caption, so lines never
 * cross text); siblings joined to the child by a bar just above the bottom row.
 */
function linesTo(child: GenogramNode, nodes: GenogramNode[]): GenogramLine[] {
  const half = SIZE / 2
  const lines: GenogramLine[] = []
  const childTop = child.y - half
  for (const n of nodes) {
    if (n.index) continue
    const down = n.kinds.includes('parent') ? 'parent' : n.kinds.includes('carer') ? 'carer' : null
    if (down && n.generation === 1) {
      const start = n.y + half + LABELS
      const middle = (start + childTop) / 2
      lines.push({ from: n.id, to: child.id, kind: down, points: `${n.x},${start} ${n.x},${middle} ${child.x},${middle} ${child.x},${childTop}` })
    }
    if (n.kinds.includes('sibling') && n.generation === 2) {
      const bar = childTop - 12
      lines.push({ from: n.id, to: child.id, kind: 'sibling', points: `${n.x},${n.y - half} ${n.x},${bar} ${child.x},${bar} ${child.x},${childTop}` })
    }
  }
  return lines
}

/**
 * Lines between members of the network (the grandparent down to the parent they are a parent
 * of): from below the upper one's name to the top of the lower one's shape.
 */
function linksBetween(nodes: GenogramNode[], links: GenogramLink[]): GenogramLine[] {
  const half = SIZE / 2
  const byId = new Map(nodes.map((n) => [n.id, n]))
  return links.flatMap((l) => {
    const from = byId.get(l.relatedId)
    const to = byId.get(l.personId)
    if (!from || !to || from.index || to.index) return []
    const [upper, lower] = from.y <= to.y ? [from, to] : [to, from]
    const start = upper.y + half + LABELS
    const end = lower.y - half
    const points = upper.y === lower.y
      ? `${upper.x},${upper.y + half + LABELS} ${upper.x},${upper.y + half + LABELS + 8} ${lower.x},${lower.y + half + LABELS + 8} ${lower.x},${lower.y + half + LABELS}`
      : `${upper.x},${start} ${upper.x},${(start + end) / 2} ${lower.x},${(start + end) / 2} ${lower.x},${end}`
    return [{ from: from.id, to: to.id, kind: 'member' as const, points }]
  })
}

/** The drawing in words (the SVG's <desc>): who is where, and the conventions used. */
function describe(childName: string, members: Member[], nodes: GenogramNode[] = [], links: GenogramLink[] = []): string {
  const nameOf = new Map(nodes.map((n) => [n.id, n.name]))
  const between = links
    .filter((l) => nameOf.has(l.personId) && nameOf.has(l.relatedId))
    .map((l) => `${nameOf.get(l.relatedId)} is ${kindLabel(l.kind).toLowerCase()} of ${nameOf.get(l.personId)}`)
  const about = (m: Member) => {
    const facts = [
      m.kinds.map((k) => kindLabel(k).toLowerCase()).join(' and '),
      m.household ? 'lives with the child' : null,
      m.parentalResponsibility ? 'has parental responsibility' : null,
    ].filter(Boolean)
    return `${m.person.name} (${facts.join(', ')})`
  }
  const group = (generation: Generation, heading: string) => {
    const list = members.filter((m) => generationOf(m) === generation).sort(rowOrder)
    return list.length > 0 ? `${heading}: ${list.map(about).join('; ')}.` : null
  }
  const household = members.filter((m) => m.household)
  const parts = [
    members.length === 0 ? `No family members are recorded for ${childName}.` : `Family network of ${childName}, who is shown on the bottom row with a double outline.`,
    group(0, 'Grandparents (top row)'),
    group(1, 'Parents, carers and others (middle row)'),
    group(2, 'Siblings (bottom row)'),
    household.length > 0
      ? `Inside the dashed household boundary with the child: ${household.map((m) => m.person.name).join(', ')}.`
      : null,
    between.length > 0 ? `Between family members: ${between.join('; ')}.` : null,
    'Squares are male, circles female and diamonds sex unknown. Solid lines join parents to the child, dashed lines carers, and a bar joins siblings.' +
      (between.length > 0 ? ' Dotted lines join family members to each other.' : ''),
  ]
  return parts.filter(Boolean).join(' ')
}
