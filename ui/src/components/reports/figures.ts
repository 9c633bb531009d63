// How the reports' figures read (changes, shares, money, group names, the insight line) and
// which rows each figure opens. Pure, so the rules are tested without mounting anything.
import { errorText } from '../../i18n'
import type {
  AppError, Dimension, DrillQuery, DrillTarget, GroupRow, Kpi, KpiKey, Language, MethodRow, PeriodPreset, PerformanceRow,
  ReportQuery,
} from '../../ipc'

type Translate = (key: string, named?: Record<string, unknown>) => string
type Has = (key: string) => boolean

export const KPI_KEYS: KpiKey[] = ['new_customers', 'followups', 'deals_won', 'amount_won', 'pipeline']
export const MONEY_KPIS: KpiKey[] = ['amount_won', 'pipeline']
export const PRESETS: PeriodPreset[] = ['week', 'month', 'quarter', 'year', 'custom']
export const DIMENSIONS: Dimension[] = ['industry', 'size', 'region', 'source', 'grade', 'tag', 'owner']

/** A 0–1 share with one decimal: 0.375 → "37.5%"; none (or not a number) → "—". */
export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—'
  return `${(Math.round(x * 1000) / 10).toFixed(1)}%`
}

/** The same, without a trailing ".0", as a sentence reads it: 0.4 → "40%". */
export function pctShort(x: number | null | undefined): string {
  const text = pct(x)
  return text.replace('.0%', '%')
}

export type Direction = 'up' | 'down' | 'flat'

/** A card's change against an earlier period: "+12.5%" going up, "—" when there is nothing to compare with. */
export function change(ratio: number | null | undefined): { text: string; direction: Direction | null } {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return { text: '—', direction: null }
  const rounded = Math.round(ratio * 1000) / 10
  if (rounded === 0) return { text: '0.0%', direction: 'flat' }
  return { text: `${rounded > 0 ? '+' : ''}${rounded.toFixed(1)}%`, direction: rounded > 0 ? 'up' : 'down' }
}

/** Fen as ¥ with thousands separators, whole yuan: 123456789 → "¥1,234,568". */
export function money(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—'
  const yuan = Math.round(fen / 100)
  return `${yuan < 0 ? '-' : ''}¥${Math.abs(yuan).toLocaleString('en-US')}`
}

/** Fen, short, for cards and chart labels: ¥12.35万 / ¥1.2亿, in English ¥123.5k / ¥1.24M. */
export function moneyShort(fen: number | null | undefined, language: Language): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—'
  const yuan = fen / 100
  const abs = Math.abs(yuan)
  const sign = yuan < 0 ? '-' : ''
  const trim = (n: number, digits: number) => n.toFixed(digits).replace(/\.?0+$/, '')
  if (language === 'zh-CN') {
    if (abs >= 1e8) return `${sign}¥${trim(abs / 1e8, 2)}亿`
    if (abs >= 1e4) return `${sign}¥${trim(abs / 1e4, 2)}万`
  } else {
    if (abs >= 1e6) return `${sign}¥${trim(abs / 1e6, 2)}M`
    if (abs >= 1e3) return `${sign}¥${trim(abs / 1e3, 1)}k`
  }
  return `${sign}¥${trim(abs, 2)}`
}

/** Fen in 万元 for a chart axis, two decimals at most. */
export function wan(fen: number): number {
  return Math.round(fen / 10_000) / 100
}

/** A KPI's value as its card shows it. */
export function kpiValue(kpi: Pick<Kpi, 'key' | 'value'>, language: Language): string {
  return MONEY_KPIS.includes(kpi.key) ? moneyShort(kpi.value, language) : kpi.value.toLocaleString('en-US')
}

export function kpiPlain(key: KpiKey, value: number): string {
  return MONEY_KPIS.includes(key) ? money(value) : value.toLocaleString('en-US')
}

/** Days: 3.25 → "3.3"; none → "—". */
export function days(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(1)
}

/** A group's name: size bands and grades by their code, an empty key as 未填写. */
export function groupLabel(t: Translate, te: Has, dimension: Dimension, key: string | null | undefined): string {
  if (key === null || key === undefined || key.trim() === '') return t('reports.notSet')
  if (dimension === 'size' && te(`reports.sizeBands.${key}`)) return t(`reports.sizeBands.${key}`)
  if (dimension === 'grade' && te(`reports.grades.${key}`)) return t(`reports.grades.${key}`)
  return key
}

/** A follow-up method's name: built-in ones in the UI language, the user's own as typed. */
export function methodName(t: Translate, te: Has, row: Pick<MethodRow, 'code' | 'name'>): string {
  const key = `followups.methods.${row.code}`
  return row.code && te(key) ? t(key) : row.name || t('reports.notSet')
}

/**
 * The one line a reader takes away from a customer analysis, e.g. "制造业客户占比40%，贡献60%业绩":
 * the group that won the most (the largest group when nothing was won). None without a named group.
 */
export function insight(t: Translate, te: Has, dimension: Dimension, rows: GroupRow[]): string | null {
  const named = rows.filter((r) => r.key !== null && r.key.trim() !== '' && r.customers > 0)
  if (named.length === 0) return null
  const anyWon = named.some((r) => r.wonShare !== null && r.wonAmountFen > 0)
  const top = anyWon
    ? named.reduce((best, r) => (r.wonAmountFen > best.wonAmountFen ? r : best))
    : named.reduce((best, r) => (r.customers > best.customers ? r : best))
  const group = t(`reports.insight.group.${dimension}`, { key: groupLabel(t, te, dimension, top.key) })
  return anyWon
    ? t('reports.insight.won', { group, share: pctShort(top.share), won: pctShort(top.wonShare) })
    : t('reports.insight.noWon', { group, share: pctShort(top.share) })
}

/** The rows behind a KPI card. */
export function kpiTarget(key: KpiKey): DrillTarget {
  switch (key) {
    case 'new_customers':
      return { kind: 'new_customers' }
    case 'followups':
      return { kind: 'followups' }
    case 'deals_won':
    case 'amount_won':
      return { kind: 'won_deals' }
    case 'pipeline':
      return { kind: 'pipeline' }
  }
}

/** What a click on a figure asks for: its rows, for one owner when the figure is theirs. */
export type DrillRequest = { target: DrillTarget; owner?: string | null; subtitle?: string }

/** The performance table's columns that open a list. */
export type PerformanceColumn = 'newCustomers' | 'intentCustomers' | 'wonCustomers' | 'wonAmountFen' | 'avgDealFen' | 'topShare'

export function performanceTarget(column: PerformanceColumn): DrillTarget {
  switch (column) {
    case 'newCustomers':
      return { kind: 'new_customers' }
    case 'intentCustomers':
      return { kind: 'intent_customers' }
    case 'wonCustomers':
    case 'avgDealFen':
      return { kind: 'won_customers' }
    case 'wonAmountFen':
      return { kind: 'won_deals' }
    case 'topShare':
      return { kind: 'top_customers' }
  }
}

/** A method row's follow-ups (the total row: every method); `responded` keeps those answered. */
export function methodTarget(row: Pick<MethodRow, 'methodId'>, responded = false): DrillTarget {
  const target: DrillTarget = { kind: 'followups' }
  if (row.methodId !== null) target.methodId = row.methodId
  if (responded) target.responded = true
  return target
}

export function groupTarget(dimension: Dimension, key: string | null): DrillTarget {
  return key === null ? { kind: 'group', dimension } : { kind: 'group', dimension, key }
}

export function lostTarget(reason: string): DrillTarget {
  return { kind: 'lost_deals', reason }
}

/**
 * The query for one drill-down page. A per-owner row narrows to its owner; the total row and
 * the cards keep the report's own owner filter.
 */
export function drillQuery(query: ReportQuery, target: DrillTarget, limit: number, cursor?: string | null, owner?: string | null): DrillQuery {
  const q: ReportQuery = { ...query }
  if (owner) q.owner = owner
  const out: DrillQuery = { query: q, target, limit }
  if (cursor) out.cursor = cursor
  return out
}

/** A performance row's owner for drilling: the total row has none (the report's filter stays). */
export function rowOwner(row: PerformanceRow, isTotal: boolean): string | null | undefined {
  return isTotal ? undefined : row.owner
}

/** A performance row can be drilled unless it is the "no owner" row: the query cannot ask for "nobody". */
export function drillable(row: PerformanceRow, isTotal: boolean): boolean {
  return isTotal || row.owner !== null
}

/** The report query the page state stands for; none while a custom period lacks its days. */
export function reportQuery(preset: PeriodPreset, range: [string, string] | null, owner: string | null): ReportQuery | null {
  const q: ReportQuery = { preset }
  if (preset === 'custom') {
    if (!range) return null
    q.from = range[0]
    q.to = range[1]
  }
  if (owner && owner.trim()) q.owner = owner.trim()
  return q
}

/** The drawer's heading for a target. */
export function drillTitle(t: Translate, target: DrillTarget): string {
  switch (target.kind) {
    case 'followups':
      return t(target.responded ? 'reports.drill.titles.responded' : 'reports.drill.titles.followups')
    case 'month':
      return t(target.series === 'won' ? 'reports.drill.titles.month_won' : 'reports.drill.titles.month_new', { month: target.month })
    default:
      return t(`reports.drill.titles.${target.kind}`)
  }
}

/** A suggested file name: no characters a file system refuses. */
export function fileName(name: string): string {
  return name.replace(/[\\/:*?"<>|]+/g, '_')
}

/** data:image/png;base64,… → its bytes. */
export function dataUrlBytes(url: string): number[] {
  const base64 = url.slice(url.indexOf(',') + 1)
  const binary = atob(base64)
  const bytes = new Array<number>(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** An error in words: a field's reason the reports know (a custom period's days, a file name), else by its code. */
export function reportError(t: Translate, te: Has, err: AppError): string {
  const reason = Object.values(err.fields)[0]
  return reason && te(`reports.errors.${reason}`) ? t(`reports.errors.${reason}`) : errorText(t, err)
}
