import type { Stage } from './ipc'

type Translate = (key: string, named?: Record<string, unknown>, plural?: number) => string
type Exists = (key: string) => boolean

/** The built-in stages' names as shipped: while a stage keeps its name, it reads in the UI language. */
const SHIPPED: Record<string, string> = {
  lead: '潜在客户',
  qualified: '意向客户',
  proposal: '方案提交',
  negotiation: '合同谈判',
  won: '成交',
  lost: '流失',
}

export function stageLabel(t: Translate, te: Exists, stage: Pick<Stage, 'code' | 'name'>): string {
  const key = `deals.stageNames.${stage.code}`
  return stage.code && SHIPPED[stage.code] === stage.name && te(key) ? t(key) : stage.name
}

/** Fen in 万元 as the seeds count deals: 30000000 → "30", 1234500 → "1.23". */
export function fenToWan(fen: number): string {
  const wan = fen / 1_000_000
  return Number.isInteger(wan) ? String(wan) : wan.toFixed(2).replace(/\.?0+$/, '')
}

/** What the amount field sends: a bare number means 万元; anything with a unit or symbol is sent as typed. */
export function wanInput(raw: string): string {
  const text = raw.trim()
  return /^\d+(\.\d+)?$/.test(text) ? `${text}万` : text
}

/** "还剩 47 天" / "已逾期 3 天" / "今天到期". */
export function daysLeftText(t: Translate, days: number | null): string {
  if (days === null) return ''
  if (days === 0) return t('deals.days.today')
  const n = Math.abs(days)
  return days > 0 ? t('deals.days.left', { n }, n) : t('deals.days.overdue', { n }, n)
}

export function percent(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`
}
