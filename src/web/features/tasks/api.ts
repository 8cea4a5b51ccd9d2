import type { ApiBuilder } from '../api/builder.ts'

export function registerTaskApi(_api: ApiBuilder): void {}
