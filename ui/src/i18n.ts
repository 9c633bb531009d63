import { createI18n } from 'vue-i18n'
import type { AppError, Language } from './ipc'

// Each feature keeps its strings in its own file under locales/<lang>/; they are merged
// into one message tree per language.
type Tree = Record<string, unknown>
function merge(files: Record<string, unknown>): Tree {
  const tree: Tree = {}
  for (const mod of Object.values(files)) {
    const messages = (mod as { default: Tree }).default
    for (const [key, value] of Object.entries(messages)) {
      const existing = tree[key]
      tree[key] =
        typeof existing === 'object' && existing !== null ? { ...(existing as Tree), ...(value as Tree) } : value
    }
  }
  return tree
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const messages: Record<Language, any> = {
  'zh-CN': merge(import.meta.glob('./locales/zh-CN/*.json', { eager: true })),
  en: merge(import.meta.glob('./locales/en/*.json', { eager: true })),
}

export function makeI18n(locale: Language = 'zh-CN') {
  return createI18n({ legacy: false, locale, fallbackLocale: 'zh-CN', messages })
}

type Translate = (key: string, named?: Record<string, unknown>) => string

/** The sentence for an error, chosen by its code; the core's message only fills a gap. */
export function errorText(t: Translate, err: AppError): string {
  return t(`errors.code.${err.code}`, { message: err.message })
}

/** Field code → the translated inline message, e.g. phone_invalid → 请输入有效的…电话. */
export function fieldErrorText(t: Translate, code: string | undefined): string | undefined {
  if (!code) return undefined
  const key = `errors.field.${code}`
  const text = t(key)
  return text === key ? code : text
}
