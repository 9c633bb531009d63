import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { AppError, api, toAppError, type ListQuery } from '../src/ipc'
import { errorText, fieldErrorText, makeI18n } from '../src/i18n'

afterEach(() => clearMocks())

describe('toAppError', () => {
  it('keeps the code and fields of an error from the core', () => {
    const err = toAppError({ code: 'VALIDATION', message: 'invalid input', fields: { phone: 'phone_invalid' } })
    expect(err).toBeInstanceOf(AppError)
    expect(err.code).toBe('VALIDATION')
    expect(err.fields).toEqual({ phone: 'phone_invalid' })
  })
  it('turns anything else into an IPC error', () => {
    expect(toAppError('command customers_add not found').code).toBe('IPC')
    expect(toAppError(new Error('boom')).message).toBe('boom')
  })
})

describe('api', () => {
  it('sends the input under the argument names the Rust commands declare', async () => {
    const calls: Array<[string, unknown]> = []
    mockIPC((cmd, args) => {
      calls.push([cmd, args])
      if (cmd === 'customers_list') return { items: [], total: 0, nextCursor: null }
      return null
    })
    const query: ListQuery = {
      limit: 100, cursor: '[1,42]', filters: { industry: [], custom: {} }, sort: { field: 'name', desc: false }, scope: 'live', withTotal: false,
    }
    await api.listCustomers(query)
    await api.setLanguage('en')
    await api.addCustomer({ name: '甲', contacts: [], custom: {} }, true)
    expect(calls).toEqual([
      ['customers_list', { query }],
      ['language_set', { language: 'en' }],
      ['customers_add', { input: { name: '甲', contacts: [], custom: {} }, allowDuplicate: true }],
    ])
  })

  it('rejects with a typed AppError when the core refuses', async () => {
    mockIPC(() => {
      throw { code: 'VALIDATION', message: 'invalid input: name: required', fields: { name: 'required' } }
    })
    const attempt = api.addCustomer({ name: '', contacts: [], custom: {} })
    await expect(attempt).rejects.toBeInstanceOf(AppError)
    await attempt.catch((err: AppError) => {
      expect(err.code).toBe('VALIDATION')
      expect(err.fields).toEqual({ name: 'required' })
    })
  })
})

describe('error sentences', () => {
  it('translate by code, never by message text', () => {
    const i18n = makeI18n('zh-CN')
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const global = i18n.global as any
    const t = global.t as (k: string, n?: Record<string, unknown>) => string
    expect(errorText(t, new AppError('BUSY', 'database is locked'))).toBe('数据库正被其他程序占用，请稍后重试')
    expect(fieldErrorText(t, 'phone_invalid')).toContain('手机号')
    expect(fieldErrorText(t, 'some_new_code')).toBe('some_new_code')
    global.locale.value = 'en'
    expect(errorText(t, new AppError('IO', 'disk full'))).toBe('Could not read or write a file: disk full')
  })
})
