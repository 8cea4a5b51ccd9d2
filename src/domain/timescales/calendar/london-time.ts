/**
 * Calendar dates and day boundaries in England (Europe/London), whatever the server's time zone.
 * Instants are parameters: nothing here reads the clock.
 */

// Made once: building a DateTimeFormat costs far more than using one.
const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
const londonWallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
})

/** The calendar date in England of an instant. */
export function londonDate(instant: string | Date): string {
  return londonDay.format(new Date(instant))
}

/** The first instant of the day after `date` in England: "recorded by the end of `date`" is before it. */
export function endOfLondonDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const midnightUtc = new Date(Date.UTC(y, m - 1, d + 1))
  return new Date(midnightUtc.getTime() - londonOffsetMs(midnightUtc))
}

/**
 * The instant of a London wall-clock time ('YYYY-MM-DD', 'HH:MM'). In the hour the clocks go forward
 * (which does not exist) it is the same wall-clock time in GMT; in the hour they go back (which
 * happens twice) it is the first, in BST.
 */
export function londonInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [hh, mm] = time.split(':').map(Number) as [number, number]
  const wall = Date.UTC(y, m - 1, d, hh, mm)
  const early = new Date(wall - 3_600_000)
  const inBst = new Date(wall - londonOffsetMs(early))
  return londonOffsetMs(inBst) === 3_600_000 ? inBst : new Date(wall)
}

/** How far England's clocks are ahead of UTC at an instant (0 or one hour). */
function londonOffsetMs(instant: Date): number {
  const parts = londonWallClock.formatToParts(instant)
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'))
  return wallClock - Math.floor(instant.getTime() / 60_000) * 60_000
}
