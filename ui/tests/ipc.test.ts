import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { AppError, api, toAppError } from '../src/ipc'
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
    await api.listCustomers({ limit: 100, after: 42 })
    await api.setLanguage('en')
    expect(calls).toEqual([
      ['customers_list', { query: { limit: 100, after: 42 } }],
      ['language_set', { language: 'en' }],
    ])
  })

  it('rejects with a typed AppError when the core refuses', async () => {
    mockIPC(() => {
      throw { code: 'VALIDATION', message: 'invalid input: name: required', fields: { name: 'required' } }
    })
    await expect(api.addCustomer({ name: '' })).rejects.toMatchObject({ code: 'VALIDATION', fields: { name: 'required' } })
  })
})

describe('error sentences', () => {
  it('translate by code, never by message text', () => {
    const { global } = makeI18n('zh-CN')
    const t = global.t as unknown as (k: string, n?: Record<string, unknown>) => string
    expect(errorText(t, new AppError('BUSY', 'database is locked'))).toBe('数据库正被其他程序占用，请稍后重试')
    expect(fieldErrorText(t, 'phone_invalid')).toContain('手机号')
    expect(fieldErrorText(t, 'some_new_code')).toBe('some_new_code')
    global.locale.value = 'en'
    expect(errorText(t, new AppError('IO', 'disk full'))).toBe('Could not read or write a file: disk full')
  })
})
