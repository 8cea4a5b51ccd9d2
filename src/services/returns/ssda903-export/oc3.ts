/**
 * oc3.csv: care leavers (a care leaver record, services/journey/care-leavers.ts) whose 17th to 21st
 * birthday falls in the year and who were not looked after on it: whether the authority is in touch,
 * the activity and the accommodation from the contact nearest the birthday, within three months
 * before it and one month after (the guidance's window); all three blank when no contact was
 * recorded in the window, and at 17 or 18 for one who left care on or after their 17th birthday.
 */
import { birthday, childColumns, type CollectionYear, type ExportChild, type TableBuilder } from './model.ts'

const addMonths = (day: string, months: number): string => {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + months)
  return d.toISOString().slice(0, 10)
}

/** The birthday (17th to 21st) in the year the OC3 asks about, if there is one. */
export function oc3Birthday(child: ExportChild, year: CollectionYear): string | undefined {
  if (child.careLeaver === null || child.dateOfBirth === null) return undefined
  for (let age = 17; age <= 21; age++) {
    const on = birthday(child.dateOfBirth, age)
    if (on >= year.start && on <= year.end) return on
  }
  return undefined
}

const lookedAfterOn = (child: ExportChild, day: string) => child.periods.some((p) => p.startedOn <= day && (p.endedOn === null || p.endedOn > day))

export const oc3: TableBuilder = (child, year) => {
  const on = oc3Birthday(child, year)
  if (on === undefined || lookedAfterOn(child, on)) return []
  // Rule 1016: no care leaver data at 17 or 18 for a young person who left care on or after their 17th birthday.
  const dob = child.dateOfBirth!
  if (on <= birthday(dob, 18) && child.episodes.some((e) => e.DEC !== '' && e.DEC >= birthday(dob, 17))) return [{ ...childColumns(child), IN_TOUCH: '', ACTIV: '', ACCOM: '' }]
  const from = addMonths(on, -3)
  const to = addMonths(on, 1)
  const distance = (day: string) => Math.abs(Date.parse(day) - Date.parse(on))
  const contact = child.careLeaverRecords
    .filter((r) => r.kind === 'contact' && r.inTouch && r.on >= from && r.on <= to)
    .sort((a, b) => distance(a.on) - distance(b.on) || b.on.localeCompare(a.on))[0]
  return [{ ...childColumns(child), IN_TOUCH: contact?.inTouch ?? '', ACTIV: contact?.activity ?? '', ACCOM: contact?.accommodation ?? '' }]
}
