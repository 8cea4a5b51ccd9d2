import type { Command } from 'commander'

type Timescales = typeof import('../../domain/timescales/index.ts')
type TimescaleRule = Timescales['RULES'][number]

/** `together rules`: the timescale rules table, for people (default) or machines (--json). */
export function registerRulesCommand(program: Command): void {
  program
    .command('rules')
    .description('list every timescale rule with its editions, limit, strength and source')
    .option('--json', 'print {"editions": [...], "rules": [...]} as JSON')
    .action(async (options: { json?: boolean }) => {
      const timescales = await import('../../domain/timescales/index.ts')
      const text = options.json
        ? `${JSON.stringify({ editions: timescales.EDITIONS, rules: timescales.listRules() }, null, 2)}\n`
        : formatRules(timescales)
      process.stdout.write(text)
    })
}

function formatLimit(rule: TimescaleRule, describe: Timescales['describeDuration']): string {
  const limit = describe(rule)
  return rule.local ? `${limit} (local default)` : limit
}

function formatApplies(rule: TimescaleRule): string {
  return rule.editions ? rule.editions.join(' ') : `in force from ${rule.inForceFrom}`
}

function formatRules({ EDITIONS, listRules, describeDuration }: Timescales): string {
  const rules = listRules()
  const columns = [
    ['RULE', ...rules.map((r) => r.id)],
    ['EDITIONS', ...rules.map(formatApplies)],
    ['LIMIT', ...rules.map((r) => formatLimit(r, describeDuration))],
    ['STRENGTH', ...rules.map((r) => r.strength)],
  ]
  const widths = columns.map((column) => Math.max(...column.map((cell) => cell.length)))
  const row = (i: number): string =>
    columns
      .map((column, c) => (c === columns.length - 1 ? column[i] : (column[i] ?? '').padEnd(widths[c] ?? 0)))
      .join('  ')
  const out = [row(0)]
  rules.forEach((rule, i) => {
    out.push(row(i + 1))
    out.push(`    ${rule.title}: from "${rule.startEvent}" to "${rule.endEvent}"`)
    out.push(`    source: ${rule.source}`)
    if (rule.notes) out.push(`    note: ${rule.notes}`)
  })
  out.push('', 'Editions of Working Together (the one in force on the start date applies unless --edition names one):')
  for (const edition of EDITIONS) {
    const precision = edition.precision === 'day' ? '' : ` (only the ${edition.precision} is known)`
    out.push(`  ${edition.year}  in force from ${edition.inForce}${precision}. ${edition.note}`)
  }
  out.push('', 'Local rules take their limits from the partnership\'s settings; the defaults are shown.')
  return `${out.join('\n')}\n`
}
