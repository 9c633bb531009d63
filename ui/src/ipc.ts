// The one typed door to the Rust core. DTO types are generated from Rust (ts-rs) into
// ./bindings; nothing here restates them.
import { invoke } from '@tauri-apps/api/core'
import type { Customer } from './bindings/Customer'
import type { CustomerInput } from './bindings/CustomerInput'
import type { CustomerPage } from './bindings/CustomerPage'
import type { ErrorBody } from './bindings/ErrorBody'
import type { ErrorCode } from './bindings/ErrorCode'
import type { Language } from './bindings/Language'
import type { PageQuery } from './bindings/PageQuery'

export type { Customer, CustomerInput, CustomerPage, ErrorBody, Language, PageQuery }

/** Codes from the core, plus IPC for failures that never reached it. */
export type AppErrorCode = ErrorCode | 'IPC'

export class AppError extends Error {
  readonly code: AppErrorCode
  readonly fields: Record<string, string>

  constructor(code: AppErrorCode, message: string, fields: Record<string, string> = {}) {
    super(message)
    this.code = code
    this.fields = fields
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value
}

export function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw
  if (isErrorBody(raw)) return new AppError(raw.code, raw.message, raw.fields ?? {})
  return new AppError('IPC', raw instanceof Error ? raw.message : String(raw))
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
  } catch (raw) {
    throw toAppError(raw)
  }
}

export const api = {
  addCustomer: (input: CustomerInput) => call<Customer>('customers_add', { input }),
  listCustomers: (query: PageQuery) => call<CustomerPage>('customers_list', { query }),
  getLanguage: () => call<Language>('language_get'),
  setLanguage: (language: Language) => call<null>('language_set', { language }),
  uiReady: () => call<null>('ui_ready'),
}
