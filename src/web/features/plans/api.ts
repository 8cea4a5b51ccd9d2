import type { ApiBuilder } from '../api/builder.ts'

export function registerPlanApi(_api: ApiBuilder): void {}
