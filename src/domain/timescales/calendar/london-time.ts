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

/** How far England's clocks are ahead of UTC at an instant (0 or one hour). */
function londonOffsetMs(instant: Date): number {
  const parts = londonWallClock.formatToParts(instant)
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'))
  return wallClock - Math.floor(instant.getTime() / 60_000) * 60_000
}
