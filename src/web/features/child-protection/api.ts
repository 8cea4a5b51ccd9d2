import type { ApiBuilder } from '../api/builder.ts'

export function registerChildProtectionApi(_api: ApiBuilder): void {}
