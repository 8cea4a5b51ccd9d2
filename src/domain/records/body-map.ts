/**
 * Body maps (issue 18 §1): an outline of a child's body, front and back, on which the injuries or
 * marks someone saw are placed, each with a description, its size and the date it was seen, as
 * schools and health record them. The figure is drawn in a 100 × 220 box per side; a mark's place
 * is a point in that box, chosen on the picture or, without it, the middle of the part of the body
 * named. By convention the front view shows the child's right on the viewer's left.
 */

export type BodySide = 'front' | 'back'

export const BODY_SIDES: readonly { code: BodySide; label: string }[] = [
  { code: 'front', label: 'Front' },
  { code: 'back', label: 'Back' },
]

/** The drawing box of one side. */
export const FIGURE_WIDTH = 100
export const FIGURE_HEIGHT = 220

interface Region {
  code: string
  label: string
  side: BodySide
  /** The middle of the part of the body in the drawing box, where a mark goes when no point is chosen. */
  x: number
  y: number
}

// The front view faces the viewer, so the child's right side is on the left (x < 50); the back
// view is seen from behind, so the child's right side is on the right.
const pairs = (side: BodySide, part: string, label: string, xRight: number, y: number): Region[] => {
  const [right, left] = side === 'front' ? [xRight, FIGURE_WIDTH - xRight] : [FIGURE_WIDTH - xRight, xRight]
  return [
    { code: `${side}-right-${part}`, label: `Right ${label}`, side, x: right, y },
    { code: `${side}-left-${part}`, label: `Left ${label}`, side, x: left, y },
  ]
}

export const BODY_REGIONS: readonly Region[] = [
  { code: 'front-head', label: 'Head (top and sides)', side: 'front', x: 50, y: 8 },
  { code: 'front-face', label: 'Face', side: 'front', x: 50, y: 19 },
  { code: 'front-neck', label: 'Neck', side: 'front', x: 50, y: 33 },
  ...pairs('front', 'shoulder', 'shoulder', 32, 42),
  { code: 'front-chest', label: 'Chest', side: 'front', x: 50, y: 52 },
  { code: 'front-abdomen', label: 'Abdomen (tummy)', side: 'front', x: 50, y: 75 },
  { code: 'front-genital', label: 'Genital area', side: 'front', x: 50, y: 99 },
  ...pairs('front', 'upper-arm', 'upper arm', 24, 60),
  ...pairs('front', 'forearm', 'forearm', 18, 85),
  ...pairs('front', 'hand', 'hand', 13, 106),
  ...pairs('front', 'thigh', 'thigh', 41, 125),
  ...pairs('front', 'knee', 'knee', 41, 148),
  ...pairs('front', 'lower-leg', 'lower leg (shin)', 41, 172),
  ...pairs('front', 'foot', 'foot', 40, 206),
  { code: 'back-head', label: 'Back of the head', side: 'back', x: 50, y: 14 },
  { code: 'back-neck', label: 'Back of the neck', side: 'back', x: 50, y: 33 },
  ...pairs('back', 'shoulder', 'shoulder blade', 36, 48),
  { code: 'back-upper', label: 'Upper back', side: 'back', x: 50, y: 58 },
  { code: 'back-lower', label: 'Lower back', side: 'back', x: 50, y: 80 },
  ...pairs('back', 'buttock', 'buttock', 42, 98),
  ...pairs('back', 'upper-arm', 'upper arm (back)', 24, 60),
  ...pairs('back', 'forearm', 'forearm (back)', 18, 85),
  ...pairs('back', 'hand', 'back of the hand', 13, 106),
  ...pairs('back', 'thigh', 'thigh (back)', 41, 125),
  ...pairs('back', 'knee', 'back of the knee', 41, 148),
  ...pairs('back', 'calf', 'calf', 41, 172),
  ...pairs('back', 'heel', 'heel', 40, 206),
]

export const MARK_KINDS: readonly { code: string; label: string }[] = [
  { code: 'bruise', label: 'Bruise' },
  { code: 'burn', label: 'Burn or scald' },
  { code: 'cut', label: 'Cut, scratch or graze' },
  { code: 'bite', label: 'Bite mark' },
  { code: 'swelling', label: 'Swelling' },
  { code: 'scar', label: 'Scar' },
  { code: 'skin-mark', label: 'Rash or other mark on the skin' },
  { code: 'other', label: 'Other' },
]

export const BODY_REGION_CODES = BODY_REGIONS.map((r) => r.code) as [string, ...string[]]
export const MARK_KIND_CODES = MARK_KINDS.map((k) => k.code) as [string, ...string[]]

export function regionOf(code: string): Region | undefined {
  return BODY_REGIONS.find((r) => r.code === code)
}

export function regionLabel(code: string): string {
  const r = regionOf(code)
  return r ? `${r.label} (${r.side})` : code
}

export function markKindLabel(code: string): string {
  return MARK_KINDS.find((k) => k.code === code)?.label ?? code
}

/** A mark as stored: numbered in the order recorded, on one side, at a point of the drawing box. */
export interface BodyMark {
  number: number
  side: BodySide
  region: string
  kind: string
  description: string
  /** In words, as measured: "3 cm × 2 cm". */
  size: string | null
  seenOn: string
  x: number
  y: number
}

/** A new mark's place: the point chosen on the picture when there is one, else the middle of its region. */
export function placeMark(region: string, point: { x?: number | null; y?: number | null }): { side: BodySide; x: number; y: number } {
  const r = regionOf(region)
  if (!r) throw new RangeError(`no such part of the body: ${region}`)
  const chosen = point.x != null && point.y != null
  return {
    side: r.side,
    x: chosen ? clamp(Math.round(point.x!), 0, FIGURE_WIDTH) : r.x,
    y: chosen ? clamp(Math.round(point.y!), 0, FIGURE_HEIGHT) : r.y,
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n))
}

/** The marks of one side, for drawing and for the list beside the drawing. */
export function marksOnSide(marks: readonly BodyMark[], side: BodySide): BodyMark[] {
  return marks.filter((m) => m.side === side)
}
