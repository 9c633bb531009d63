import { createI18n } from 'vue-i18n'
import type { AppError, Language } from './ipc'

// Each feature keeps its strings in its own file under locales/<lang>/; they are merged
// into one message tree per language, at every depth (errors-backup.json adds codes beside
// the ones in app.json's errors.code).
type Tree = Record<string, unknown>
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null
function mergeInto(tree: Tree, messages: Tree): Tree {
  for (const [key, value] of Object.entries(messages)) {
    const existing = tree[key]
    tree[key] = isTree(existing) && isTree(value) ? mergeInto({ ...existing }, value) : value
  }
  return tree
}
function merge(files: Record<string, unknown>): Tree {
  const tree: Tree = {}
  for (const mod of Object.values(files)) mergeInto(tree, (mod as { default: Tree }).default)
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
  return t(`errors.code.${err.code}`, { ...err.fields, message: err.message })
}

/** Field code → the translated inline message, e.g. phone_invalid → 请输入有效的…电话. */
export function fieldErrorText(t: Translate, code: string | undefined): string | undefined {
  if (!code) return undefined
  const key = `errors.field.${code}`
  const text = t(key)
  return text === key ? code : text
}

/** For a form-less action (a card's button): a field mistake by its reason, anything else by its code. */
export function actionErrorText(t: Translate, err: AppError): string {
  const reason = Object.values(err.fields)[0]
  return err.code === 'VALIDATION' && reason ? (fieldErrorText(t, reason) ?? errorText(t, err)) : errorText(t, err)
}
