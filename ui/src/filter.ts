// The filter builder's rows and the filter language text (see the core's segments::parse).
// The core owns the meaning: it checks, words and runs a filter; the UI only writes text
// from rows and, for flat filters, reads rows back from text.
import type { Op } from './bindings/Op'

export type Join = 'AND' | 'OR'

export interface FilterRow {
  /** How the row joins the rows above it; the first row's is ignored. */
  join: Join
  not: boolean
  key: string
  op: Op
  value: string
}

/** The built-in keys, in the order the builder offers them. */
export const FILTER_KEYS = [
  'tag', 'industry', 'region', 'source', 'owner', 'grade', 'stage', 'name', 'kind',
  'created', 'last_followup', 'employees', 'revenue', 'amount', 'score',
] as const

export type FilterKey = (typeof FILTER_KEYS)[number]

const EQUALITY: Op[] = [':', '!=']
const ORDER: Op[] = [':', '!=', '>', '>=', '<', '<=']
const TIME: Op[] = [':', '<', '>', '<=', '>=']

/** The operators a key takes; a custom field (any other key) takes them all. */
export function operatorsOf(key: string): Op[] {
  switch (key) {
    case 'tag': case 'industry': case 'region': case 'source': case 'owner': case 'grade': case 'stage': case 'name': case 'kind':
      return EQUALITY
    case 'created': case 'last_followup':
      return TIME
    default:
      return ORDER
  }
}

export function newRow(join: Join = 'AND'): FilterRow {
  return { join, not: false, key: 'tag', op: ':', value: '' }
}

/** A value as the language reads it: quoted when it holds a space, a bracket or a quote. */
export function quoteValue(value: string): string {
  const v = value.trim()
  return /[\s()（）"“”]/.test(v) ? `"${v.replace(/["“”]/g, '')}"` : v
}

function termText(row: FilterRow): string {
  return `${row.not ? 'NOT ' : ''}${row.key}${row.op}${quoteValue(row.value)}`
}

/** Rows as filter text. Rows without a value are left out; AND binds tighter than OR. */
export function rowsToText(rows: FilterRow[]): string {
  const filled = rows.filter((r) => r.value.trim() !== '')
  return filled.map((r, i) => (i === 0 ? termText(r) : `${r.join} ${termText(r)}`)).join(' ')
}

const AND_WORDS = ['AND', '且', '&&']
const OR_WORDS = ['OR', '或', '||']
const NOT_WORDS = ['NOT', '非', '!']
const OPS: Op[] = ['>=', '<=', '!=', '>', '<', ':']

function splitWords(text: string): string[] | null {
  const words: string[] = []
  let current = ''
  let quoted = false
  for (const c of text) {
    if ('"“”'.includes(c)) {
      quoted = !quoted
      current += '"'
    } else if (!quoted && /\s/.test(c)) {
      if (current) words.push(current)
      current = ''
    } else if (!quoted && '()（）'.includes(c)) {
      return null
    } else {
      current += c
    }
  }
  if (quoted) return null
  if (current) words.push(current)
  return words
}

function parseTerm(word: string): Omit<FilterRow, 'join' | 'not'> | null {
  const at = word.search(/[:：=><!]/)
  if (at <= 0) return null
  const key = word.slice(0, at)
  const rest = word.slice(at)
  const op = OPS.find((o) => rest.startsWith(o)) ?? (rest[0] === '：' || rest[0] === '=' ? ':' : null)
  if (!op) return null
  const skip = OPS.includes(rest.slice(0, 2) as Op) ? 2 : 1
  const value = rest.slice(skip).replace(/"/g, '')
  if (!value) return null
  return { key, op, value }
}

/**
 * Reads a flat filter ([NOT] term joined by AND/OR, no brackets) back into rows; `null`
 * for anything the rows cannot show, which then stays text.
 */
export function textToRows(text: string): FilterRow[] | null {
  const words = splitWords(text)
  if (words === null) return null
  const rows: FilterRow[] = []
  let join: Join = 'AND'
  let not = false
  let expectTerm = true
  for (const word of words) {
    const upper = word.toUpperCase()
    if (AND_WORDS.includes(upper) || OR_WORDS.includes(upper)) {
      if (expectTerm) return null
      join = AND_WORDS.includes(upper) ? 'AND' : 'OR'
      expectTerm = true
    } else if (NOT_WORDS.includes(upper)) {
      if (not) return null
      not = true
    } else {
      const term = parseTerm(word)
      if (!term) return null
      rows.push({ join, not, ...term, key: canonicalKey(term.key) })
      join = 'AND'
      not = false
      expectTerm = false
    }
  }
  if (not || (expectTerm && rows.length > 0)) return null
  return rows
}

const KEY_ALIASES: Record<string, FilterKey> = {
  标签: 'tag', 行业: 'industry', 地区: 'region', 来源: 'source', 负责人: 'owner', 等级: 'grade', 阶段: 'stage',
  名称: 'name', 类型: 'kind', 创建: 'created', 跟进: 'last_followup', followup: 'last_followup', 规模: 'employees',
  员工: 'employees', size: 'employees', 营业额: 'revenue', 金额: 'amount', 价值分: 'score',
}

/** The builder's name for a key typed in either language; custom field names stay as typed. */
export function canonicalKey(key: string): string {
  const lower = key.toLowerCase()
  if ((FILTER_KEYS as readonly string[]).includes(lower)) return lower
  return KEY_ALIASES[key] ?? key
}

function isTagRow(row: FilterRow, tag: string): boolean {
  return row.key === 'tag' && row.op === ':' && !row.not && row.value === tag
}

/** Whether `tag:X` is one of the conditions every match must meet. */
export function hasTag(text: string, tag: string): boolean {
  const rows = textToRows(text)
  if (rows && !rows.some((r, i) => i > 0 && r.join === 'OR')) return rows.some((r) => isTagRow(r, tag))
  return text.trim().endsWith(` AND tag:${quoteValue(tag)}`)
}

/** Adds `tag:X` as a condition every match must meet, or takes it away again. */
export function toggleTag(text: string, tag: string): string {
  const rows = textToRows(text.trim())
  const term = `tag:${quoteValue(tag)}`
  const flatAnd = rows !== null && !rows.some((r, i) => i > 0 && r.join === 'OR')
  if (flatAnd) {
    if (rows.some((r) => isTagRow(r, tag))) return rowsToText(rows.filter((r) => !isTagRow(r, tag)))
    return rowsToText([...rows, { join: 'AND', not: false, key: 'tag', op: ':', value: tag }])
  }
  const trimmed = text.trim()
  const suffix = ` AND ${term}`
  if (trimmed.endsWith(suffix)) {
    const rest = trimmed.slice(0, -suffix.length)
    return rest.startsWith('(') && rest.endsWith(')') ? rest.slice(1, -1) : rest
  }
  return `(${trimmed})${suffix}`
}

/** The error's place as three pieces of text: before, the character, after. */
export function splitAt(text: string, at: number): [string, string, string] {
  // The core counts characters, not UTF-16 units.
  const chars = Array.from(text)
  const i = Math.max(0, Math.min(at, chars.length))
  return [chars.slice(0, i).join(''), chars[i] ?? ' ', chars.slice(i + 1).join('')]
}
