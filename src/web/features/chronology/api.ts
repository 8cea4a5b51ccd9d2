import type { ApiBuilder } from '../api/builder.ts'

export function registerChronologyApi(_api: ApiBuilder): void {}
