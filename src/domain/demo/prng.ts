/**
 * A small seeded pseudo-random generator (sfc32) and the helpers the synthetic data
 * generator draws from. Deterministic: the same seed gives the same sequence on every machine, so
 * a synthetic data set is reproducible. Not for anything secret.
 */

/** Mixes two 32-bit numbers into one well-spread 32-bit seed (murmur3's finaliser). */
export function mixSeed(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function hex32(n: number): string {
  return HEX[(n >>> 24) & 255]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!
}

/**
 * sfc32 (Chris Doty-Humphrey's small fast counting generator): 128 bits of state, so the streams of
 * different children never run into each other the way a 32-bit generator's would, which matters
 * because ids are drawn from them.
 */
export class Prng {
  private a: number
  private b: number
  private c: number
  private d: number

  /** Seeded from one or more 32-bit numbers (e.g. the data set's seed and a child's number). */
  constructor(...seeds: number[]) {
    this.a = mixSeed(seeds[0] ?? 0, 0x243f6a88)
    this.b = mixSeed(seeds[1] ?? 0, 0x85a308d3)
    this.c = mixSeed(seeds[2] ?? 0, 0x13198a2e)
    this.d = 1
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A number in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** One of the values, each with its weight (weights need not add up to 1). */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of choices) total += w
    let r = this.next() * total
    for (const [value, w] of choices) {
      r -= w
      if (r < 0) return value
    }
    return choices[choices.length - 1]![0]
  }

  /** `count` different items, in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items]
    const out: T[] = []
    for (let i = 0; i < count && pool.length > 0; i++) {
      const at = Math.floor(this.next() * pool.length)
      out.push(pool[at] as T)
      pool[at] = pool[pool.length - 1] as T
      pool.pop()
    }
    return out
  }

  /**
   * A UUID in the version 8 (custom) layout whose first 48 bits are `prefix` then `counter`, the
   * rest from this generator: ids made in order sort in order, so bulk loads append to indexes.
   */
  orderedUuid(prefix: number, counter: number): string {
    const b = (this.nextUint32() & 0x00000fff) | 0x00008000 | ((counter & 0xffff) << 16)
    const c = ((this.nextUint32() & 0x3fffffff) | 0x80000000) >>> 0
    const d = this.nextUint32()
    const hb = hex32(b >>> 0)
    const hc = hex32(c)
    return `${hex32(prefix >>> 0)}-${hb.slice(0, 4)}-${hb.slice(4)}-${hc.slice(0, 4)}-${hc.slice(4)}${hex32(d)}`
  }

  /** A UUID in the version 4 layout, from this generator (so reproducible, unlike crypto.randomUUID). */
  uuid(): string {
    const a = this.nextUint32()
    const b = (this.nextUint32() & 0xffff0fff) | 0x00004000
    const c = ((this.nextUint32() & 0x3fffffff) | 0x80000000) >>> 0
    const d = this.nextUint32()
    const hb = hex32(b)
    const hc = hex32(c)
    return `${hex32(a)}-${hb.slice(0, 4)}-${hb.slice(4)}-${hc.slice(0, 4)}-${hc.slice(4)}${hex32(d)}`
  }
}
