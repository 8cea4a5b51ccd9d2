/** What the census pages show: a year's label, and findings grouped by child. */
import type { Finding } from '../../../domain/returns/cin-census/model.ts'

export const yearLabel = (year: number) => `${year - 1} to ${year}`

/** Findings grouped by child, in file order, for the findings table (with whether the user may open the child's case). */
export function byChild(findings: readonly (Finding & { caseId?: string | null; caseReadable?: boolean })[]) {
  const groups = new Map<string, { child: string | null; caseId: string | null; caseReadable: boolean; findings: Finding[] }>()
  for (const f of findings) {
    const key = f.child ?? (f.caseId ? `case:${f.caseId}` : '')
    const group = groups.get(key) ?? { child: f.child, caseId: f.caseId ?? null, caseReadable: f.caseReadable ?? false, findings: [] }
    group.findings.push(f)
    groups.set(key, group)
  }
  return [...groups.values()]
}
