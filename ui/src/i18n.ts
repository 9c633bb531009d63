import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN.json'
import en from './locales/en.json'
import type { AppError, Language } from './ipc'

export const messages = { 'zh-CN': zhCN, en }

export function makeI18n(locale: Language = 'zh-CN') {
  return createI18n({ legacy: false, locale, fallbackLocale: 'zh-CN', messages })
}

type Translate = (key: string, named?: Record<string, unknown>) => string

/** The sentence for an error, chosen by its code; the core's message only fills a gap. */
export function errorText(t: Translate, err: AppError): string {
  return t(`errors.code.${err.code}`, { message: err.message })
}

/** Field code → the translated inline message, e.g. phone_invalid → 请输入有效的…手机号. */
export function fieldErrorText(t: Translate, code: string | undefined): string | undefined {
  if (!code) return undefined
  const key = `errors.field.${code}`
  const text = t(key)
  return text === key ? code : text
}
