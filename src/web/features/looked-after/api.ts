import type { ApiBuilder } from '../api/builder.ts'

export function registerLookedAfterApi(_api: ApiBuilder): void {}
