// The reports' charts as ECharts options, built from the figures alone (no echarts import),
// so what each bar, slice and layer stands for is tested without drawing anything.
import type { FunnelReport, FunnelStage, GroupRow, LostReasonRow, MethodRow, TrendPoint } from '../../ipc'
import { pct, wan } from './figures'

export const COLORS = {
  blue: '#1d6fd8',
  green: '#18a058',
  orange: '#f0a020',
  red: '#d03050',
  grey: '#b8bec9',
  palette: ['#1d6fd8', '#18a058', '#f0a020', '#7c5cd6', '#13a8a8', '#e8684a', '#5a9be9', '#9bc53d', '#c27ba0', '#8a919f'],
}

/** The funnel's blues, darkest on top; the weakest stage in red. */
const FUNNEL_BLUES = ['#1d6fd8', '#3b85e3', '#5a9be9', '#7fb2ef', '#18a058', '#a3c9f5', '#c2dbf8']

type Words = {
  newCustomers: string
  wonAmount: string
  amountAxis: string
  countAxis: string
  customers: string
  share: string
  wonShare: string
  followups: string
  responses: string
  other: string
}

type Label = (value: number) => string

const TOOLTIP = { confine: true, textStyle: { fontSize: 12 } }
const AXIS_LABEL = { fontSize: 11, color: '#5c6370' }

/** The open stages then 成交, in funnel order; 流失 sits beside the funnel. */
export function funnelPath(report: FunnelReport): FunnelStage[] {
  return report.stages.filter((s) => s.kind !== 'lost')
}

export function funnelOption(report: FunnelReport, name: (s: FunnelStage) => string, amount: Label) {
  const path = funnelPath(report)
  return {
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const s = path[p.dataIndex]
        return s ? `<b>${name(s)}</b><br/>${s.reached} · ${amount(s.reachedAmountFen)}<br/>→ ${pct(s.conversion)}` : ''
      },
    },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '6%',
        width: '88%',
        top: 8,
        bottom: 8,
        min: 0,
        // An empty period still draws the funnel's shape rather than nothing.
        max: Math.max(1, ...path.map((s) => s.reached)),
        minSize: '14%',
        gap: 3,
        label: {
          show: true,
          position: 'inside',
          color: '#fff',
          fontSize: 12,
          formatter: (p: { dataIndex: number }) => {
            const s = path[p.dataIndex]
            return s ? `${name(s)}  ${s.reached} · ${amount(s.reachedAmountFen)}` : ''
          },
        },
        data: path.map((s, i) => ({
          name: name(s),
          value: s.reached,
          itemStyle: { color: s.stageId === report.weakestStageId ? COLORS.red : FUNNEL_BLUES[i % FUNNEL_BLUES.length] },
        })),
      },
    ],
  }
}

/** New customers as bars on the left axis, the won amount (万元) as a line on the right. */
export function trendOption(points: TrendPoint[], words: Words, amount: Label) {
  return {
    color: [COLORS.blue, COLORS.green],
    tooltip: {
      ...TOOLTIP,
      trigger: 'axis',
      formatter: (ps: Array<{ dataIndex: number }>) => {
        const p = points[ps[0]?.dataIndex ?? -1]
        return p ? `<b>${p.month}</b><br/>${words.newCustomers}: ${p.newCustomers}<br/>${words.wonAmount}: ${amount(p.wonAmountFen)} (${p.wonCount})` : ''
      },
    },
    // Centred above the plot: the two axis names sit at its corners.
    legend: { top: 0, left: 'center', itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } },
    grid: { left: 44, right: 52, top: 48, bottom: 28 },
    xAxis: { type: 'category', data: points.map((p) => p.month.slice(2).replace('-', '/')), axisLabel: AXIS_LABEL },
    yAxis: [
      { type: 'value', name: words.countAxis, minInterval: 1, nameTextStyle: AXIS_LABEL, axisLabel: AXIS_LABEL },
      { type: 'value', name: words.amountAxis, nameTextStyle: AXIS_LABEL, axisLabel: AXIS_LABEL, splitLine: { show: false } },
    ],
    series: [
      { name: words.newCustomers, type: 'bar', barMaxWidth: 22, data: points.map((p) => p.newCustomers) },
      {
        name: words.wonAmount,
        type: 'line',
        yAxisIndex: 1,
        symbolSize: 9,
        triggerLineEvent: true,
        data: points.map((p) => wan(p.wonAmountFen)),
      },
    ],
  }
}

/** At most `max` slices or bars: the largest named groups, the rest as one "other" (not a group to open). */
export function topGroups(rows: GroupRow[], max: number): { rows: GroupRow[]; other: number } {
  if (rows.length <= max) return { rows, other: 0 }
  const kept = rows.slice(0, max - 1)
  const other = rows.slice(max - 1).reduce((n, r) => n + r.customers, 0)
  return { rows: kept, other }
}

export function pieOption(rows: GroupRow[], label: (row: GroupRow) => string, words: Words) {
  const { rows: kept, other } = topGroups(rows, 8)
  const data = kept.map((r, i) => ({ name: label(r), value: r.customers, itemStyle: { color: COLORS.palette[i % COLORS.palette.length] } }))
  if (other > 0) data.push({ name: words.other, value: other, itemStyle: { color: COLORS.grey } })
  return {
    tooltip: { ...TOOLTIP, trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { type: 'scroll', orient: 'vertical', right: 4, top: 'middle', itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 12 } },
    series: [
      {
        type: 'pie',
        radius: ['38%', '68%'],
        center: ['36%', '52%'],
        avoidLabelOverlap: true,
        label: { formatter: '{d}%', fontSize: 11 },
        data,
      },
    ],
  }
}

export const GROUP_BARS = 10
export const SHARE_BARS = 12

/** The groups a horizontal bar chart draws, bottom bar first: bar index → row. */
export function drawnRows(rows: GroupRow[], max: number): GroupRow[] {
  return rows.slice(0, max).reverse()
}

/** Customers per group as horizontal bars, largest on top. */
export function groupBarOption(rows: GroupRow[], label: (row: GroupRow) => string, words: Words) {
  const kept = drawnRows(rows, GROUP_BARS)
  return {
    color: [COLORS.blue],
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: AXIS_LABEL },
    yAxis: { type: 'category', data: kept.map(label), axisLabel: { ...AXIS_LABEL, width: 110, overflow: 'truncate' } },
    series: [{ name: words.customers, type: 'bar', barMaxWidth: 18, label: { show: true, position: 'right', fontSize: 11 }, data: kept.map((r) => r.customers) }],
  }
}

/** Share of customers against share of the amount won, per group: where the business really comes from. */
export function shareBarOption(rows: GroupRow[], label: (row: GroupRow) => string, words: Words) {
  const kept = drawnRows(rows, SHARE_BARS)
  const percent = (x: number | null) => (x === null ? 0 : Math.round(x * 1000) / 10)
  return {
    color: [COLORS.blue, COLORS.green],
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v}%` },
    legend: { top: 0, right: 8, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 48, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { ...AXIS_LABEL, formatter: '{value}%' } },
    yAxis: { type: 'category', data: kept.map(label), axisLabel: { ...AXIS_LABEL, width: 120, overflow: 'truncate' } },
    series: [
      { name: words.share, type: 'bar', barMaxWidth: 14, label: { show: true, position: 'right', fontSize: 10, formatter: '{c}%' }, data: kept.map((r) => percent(r.share)) },
      { name: words.wonShare, type: 'bar', barMaxWidth: 14, label: { show: true, position: 'right', fontSize: 10, formatter: '{c}%' }, data: kept.map((r) => percent(r.wonShare)) },
    ],
  }
}

export function lostPieOption(rows: LostReasonRow[], label: (row: LostReasonRow) => string) {
  return {
    tooltip: { ...TOOLTIP, trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { type: 'scroll', orient: 'vertical', right: 4, top: 'middle', itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 12 } },
    series: [
      {
        type: 'pie',
        radius: ['35%', '65%'],
        center: ['38%', '52%'],
        label: { formatter: '{d}%', fontSize: 11 },
        data: rows.map((r, i) => ({ name: label(r), value: r.count, itemStyle: { color: COLORS.palette[(i + 5) % COLORS.palette.length] } })),
      },
    ],
  }
}

/** Follow-ups and the answered ones per method, side by side. */
export function methodBarOption(rows: MethodRow[], label: (row: MethodRow) => string, words: Words) {
  return {
    color: [COLORS.blue, COLORS.green],
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, right: 8, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 12 } },
    grid: { left: 40, right: 16, top: 30, bottom: 28 },
    xAxis: { type: 'category', data: rows.map(label), axisLabel: AXIS_LABEL },
    yAxis: { type: 'value', minInterval: 1, axisLabel: AXIS_LABEL },
    series: [
      { name: words.followups, type: 'bar', barMaxWidth: 26, data: rows.map((r) => r.followups) },
      { name: words.responses, type: 'bar', barMaxWidth: 26, data: rows.map((r) => r.responses) },
    ],
  }
}

export type ChartWords = Words

/** The charts' words in the UI language. */
export function chartWords(t: (key: string) => string): Words {
  return {
    newCustomers: t('reports.charts.newCustomers'),
    wonAmount: t('reports.charts.wonAmount'),
    amountAxis: t('reports.charts.amountAxis'),
    countAxis: t('reports.charts.countAxis'),
    customers: t('reports.charts.customers'),
    share: t('reports.customers.share'),
    wonShare: t('reports.customers.wonShare'),
    followups: t('reports.followups.count'),
    responses: t('reports.followups.responses'),
    other: t('reports.charts.other'),
  }
}
