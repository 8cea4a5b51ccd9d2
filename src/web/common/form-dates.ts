/**
 * GOV.UK date inputs post a date as three fields (`<name>-day`, `-month`, `-year`); services and
 * schemas take one 'YYYY-MM-DD' value. The one place the two are converted.
 */

const part = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

/**
 * The date a date input holds: '' when all three fields are empty, 'YYYY-MM-DD' when they could
 * be a date (the schema still checks it is real), or the typed text otherwise so the schema refuses it.
 */
export function dateFromFields(body: Record<string, unknown>, name: string): string {
  const day = part(body[`${name}-day`])
  const month = part(body[`${name}-month`])
  const year = part(body[`${name}-year`])
  if (!day && !month && !year) return ''
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return `${year}-${month}-${day}`
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
}

/** The three fields of a date input holding `iso` (empty fields when there is no date). */
export function dateFieldValues(name: string, iso: string | null | undefined): Record<string, string> {
  const [year = '', month = '', day = ''] = iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-') : []
  return { [`${name}-day`]: day.replace(/^0/, ''), [`${name}-month`]: month.replace(/^0/, ''), [`${name}-year`]: year }
}
