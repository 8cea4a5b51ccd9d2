/** The readable report of a validation (census or SSDA903): the heading lines, then each child's findings. */
export interface ReportedFinding {
  child: string | null
  type: 'error' | 'query'
  rule: string
  table: string
  field: string
  message: string
}

export function findingsReport(heading: string, summary: { errors: number; queries: number }, findings: readonly ReportedFinding[]): string {
  const lines = [heading, `${summary.errors} errors, ${summary.queries} queries`]
  const byChild = new Map<string, ReportedFinding[]>()
  for (const f of findings) {
    const key = f.child ?? '(whole return)'
    const list = byChild.get(key) ?? []
    list.push(f)
    byChild.set(key, list)
  }
  for (const [child, list] of byChild) {
    lines.push('', child)
    for (const f of list) lines.push(`  ${f.type} ${f.rule} ${f.table}/${f.field}: ${f.message}`)
  }
  return lines.join('\n')
}
