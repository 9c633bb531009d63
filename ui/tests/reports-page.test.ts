import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import ReportsPage from '../src/pages/ReportsPage.vue'
import WorkbenchPage from '../src/pages/WorkbenchPage.vue'
import { backend, byTestId, clickTestId, mountWith, stages, type Call, type Handler } from './support'
import type { CustomerAnalysis, Dashboard, DrillPage, FollowupEfficiency, FunnelAnalysis, Performance, PerformanceRow } from '../src/ipc'

// ECharts draws nothing in happy-dom: the chart is a box that remembers its option and, when
// clicked, answers as ECharts would for the element named in its data-pick attribute.
vi.mock('vue-echarts', () => ({
  default: defineComponent({
    props: { option: { type: Object, default: () => ({}) } },
    emits: ['click'],
    setup(props, { emit, attrs }) {
      return () =>
        h('div', {
          ...attrs,
          class: 'chart-stub',
          'data-series': JSON.stringify((props.option as { series?: Array<{ type: string; data: unknown[] }> }).series?.map((s) => [s.type, s.data]) ?? []),
          onClick: (e: MouseEvent) => emit('click', JSON.parse((e.currentTarget as HTMLElement).dataset.pick ?? '{}')),
        })
    },
  }),
}))

// Each drill-down draws a drawer of up to 50 rows: slower than the usual card test.
vi.setConfig({ testTimeout: 30_000 })

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

const period = { from: '2026-11-01', to: '2026-11-24' }
const resolved = { preset: 'month' as const, current: period, previous: { from: '2026-10-01', to: '2026-10-24' }, yearAgo: { from: '2025-11-01', to: '2025-11-24' } }

const funnelStage = (stageId: number, code: string, name: string, kind: 'open' | 'won' | 'lost', reached: number, count: number, conversion: number | null) => ({
  stageId, code, name, kind, count, amountFen: count * 10_000_000, weightedFen: 0, reached, reachedAmountFen: reached * 10_000_000, conversion,
  dropOff: conversion === null ? null : Math.round(reached * (1 - conversion)), avgStayDays: kind === 'open' ? 4.25 : null,
})
const funnel = {
  stages: [
    funnelStage(1, 'lead', '潜在客户', 'open', 10, 3, 0.7),
    funnelStage(2, 'qualified', '意向客户', 'open', 7, 2, 0.2857),
    funnelStage(3, 'proposal', '方案提交', 'open', 2, 0, 0.5),
    funnelStage(5, 'won', '成交', 'won', 1, 1, null),
    funnelStage(6, 'lost', '流失', 'lost', 2, 2, null),
  ],
  weakestStageId: 2, totalCount: 10, openAmountFen: 0, weightedFen: 0, wonCount: 1, wonAmountFen: 10_000_000, avgCycleDays: 12.5, lostReasons: [],
}

const industries: CustomerAnalysis = {
  period, dimension: 'industry', totalCustomers: 10, totalWonFen: 85_000_000,
  rows: [
    { key: '制造业', customers: 4, share: 0.4, wonAmountFen: 51_000_000, wonShare: 0.6 },
    { key: '服务业', customers: 5, share: 0.5, wonAmountFen: 34_000_000, wonShare: 0.4 },
    { key: null, customers: 1, share: 0.1, wonAmountFen: 0, wonShare: 0 },
  ],
}

const dashboard: Dashboard = {
  period: resolved,
  kpis: [
    { key: 'new_customers', value: 15, previous: 12, yearAgo: 0, change: 0.25, changeYear: null },
    { key: 'followups', value: 40, previous: 50, yearAgo: 40, change: -0.2, changeYear: 0 },
    { key: 'deals_won', value: 3, previous: 3, yearAgo: 1, change: 0, changeYear: 2 },
    { key: 'amount_won', value: 85_000_000, previous: 0, yearAgo: 0, change: null, changeYear: null },
    { key: 'pipeline', value: 123_400_000, previous: 100_000_000, yearAgo: 0, change: 0.234, changeYear: null },
  ],
  trend: [
    { month: '2026-10', newCustomers: 12, wonCount: 1, wonAmountFen: 20_000_000 },
    { month: '2026-11', newCustomers: 15, wonCount: 3, wonAmountFen: 85_000_000 },
  ],
  funnel,
  industries,
  sources: { ...industries, dimension: 'source', rows: [{ key: '官网', customers: 6, share: 0.6, wonAmountFen: 0, wonShare: 0 }] },
}

const perfRow = (owner: string | null, over: Partial<PerformanceRow> = {}): PerformanceRow => ({
  owner, newCustomers: 15, intentCustomers: 8, wonCustomers: 3, wonDeals: 3, wonAmountFen: 85_000_000, avgDealFen: 28_333_333,
  conversion: 0.375, topShare: 0.6, topCustomers: 1, topAmountFen: 51_000_000, ...over,
})
const performance: Performance = {
  period,
  intentStage: '意向客户',
  total: perfRow(null, { newCustomers: 17 }),
  owners: [perfRow('王经理'), perfRow(null, { newCustomers: 2, intentCustomers: 0, wonCustomers: 0, wonAmountFen: 0, avgDealFen: null, conversion: null, topShare: null })],
  lostReasons: [
    { reason: '价格过高', count: 4, amountFen: 40_000_000, share: 0.4 },
    { reason: '选择竞品', count: 3, amountFen: 30_000_000, share: 0.3 },
    { reason: '', count: 3, amountFen: 10_000_000, share: 0.3 },
  ],
}

const efficiency: FollowupEfficiency = {
  period,
  methods: [
    { methodId: 1, code: 'phone', name: '电话', followups: 8, responses: 5, responseRate: 0.625, avgGapDays: 3.25, nextStepsDue: 5, nextStepsOnTime: 4, onTimeRate: 0.8 },
    { methodId: 2, code: 'wechat', name: '微信', followups: 0, responses: 0, responseRate: null, avgGapDays: null, nextStepsDue: 0, nextStepsOnTime: 0, onTimeRate: null },
  ],
  total: { methodId: null, code: null, name: '', followups: 8, responses: 5, responseRate: 0.625, avgGapDays: 3.25, nextStepsDue: 5, nextStepsOnTime: 4, onTimeRate: 0.8 },
}

const funnelAnalysis: FunnelAnalysis = { period, funnel }

const page = (n: number, next: string | null): DrillPage => ({
  kind: 'customer',
  total: 60,
  items: Array.from({ length: n }, (_, i) => ({
    kind: 'customer', id: 100 + i + (next ? 0 : 50), customerId: 100 + i + (next ? 0 : 50), customerName: `客户${i}`, title: `C-${i}`,
    owner: '王经理', amountFen: null, at: Date.UTC(2026, 10, 3, 2),
  })),
  nextCursor: next,
})

function serve(extra: Handler = () => null): Call[] {
  return backend((cmd, args) => {
    switch (cmd) {
      case 'reports_dashboard': return dashboard
      case 'reports_owners': return ['李经理', '王经理']
      case 'reports_customers': return args.dimension === 'size'
        ? { ...industries, dimension: 'size', rows: [{ key: '20_99', customers: 6, share: 0.6, wonAmountFen: 0, wonShare: 0 }, { key: null, customers: 4, share: 0.4, wonAmountFen: 0, wonShare: 0 }] }
        : industries
      case 'reports_performance': return performance
      case 'reports_followups': return efficiency
      case 'reports_funnel': return funnelAnalysis
      case 'reports_drill': {
        // New customers come in two pages (50 + 10); every other list is short.
        const q = args.query as { cursor?: string; target: { kind: string } }
        if (q.target.kind !== 'new_customers') return page(3, null)
        return q.cursor ? page(10, null) : page(50, '50')
      }
      case 'deal_stages_list': return stages
      default: return extra(cmd, args)
    }
  })
}

const lastArgs = (calls: Call[], command: string) => calls.filter(([cmd]) => cmd === command).at(-1)?.[1]
/** A table row's cells. */
const cells = (id: string) => Array.from(byTestId(id)?.querySelectorAll('td') ?? []).map((td) => td.textContent?.trim() ?? '')
const text = (id: string) => byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? ''

async function tab(name: string) {
  const el = document.querySelector<HTMLElement>(`.n-tabs-tab[data-name="${name}"]`)
  if (!el) throw new Error(`no tab ${name}`)
  el.click()
  await flushPromises()
}

async function pick(id: string, params: Record<string, unknown>) {
  const chart = byTestId(id)!
  chart.dataset.pick = JSON.stringify(params)
  chart.click()
  await flushPromises()
}

describe('ReportsPage: overview', () => {
  it('shows the five KPI cards with 环比 and 同比, the period, and "—" where nothing compares', async () => {
    const calls = serve()
    await mountWith(ReportsPage)
    expect(lastArgs(calls, 'reports_dashboard')).toEqual({ query: { preset: 'month' } })
    expect(text('kpi-value-new_customers')).toBe('15')
    expect(text('kpi-value-amount_won')).toBe('¥85万')
    expect(text('kpi-value-pipeline')).toBe('¥123.4万')
    expect(text('kpi-mom-new_customers')).toBe('环比▲+25.0%')
    expect(byTestId('kpi-mom-new_customers')!.className).toContain('up')
    expect(text('kpi-mom-followups')).toBe('环比▼-20.0%')
    expect(byTestId('kpi-mom-followups')!.className).toContain('down')
    expect(text('kpi-yoy-new_customers')).toBe('同比—')
    expect(text('kpi-mom-amount_won')).toBe('环比—')
    expect(text('dashboard-period')).toContain('统计周期：2026-11-01 至 2026-11-24')
    expect(text('dashboard-period')).toContain('同比 2025-11-01 至 2025-11-24')
    // The funnel is a funnel series in funnel order, 流失 beside it.
    expect(JSON.parse(byTestId('chart-funnel')!.dataset.series!)[0][0]).toBe('funnel')
    expect(JSON.parse(byTestId('chart-trend')!.dataset.series!).map((s: [string]) => s[0])).toEqual(['bar', 'line'])
  })

  it('a KPI opens its rows in a drawer, pages on, and a row opens the customer', async () => {
    const calls = serve()
    const { router } = await mountWith(ReportsPage)
    await clickTestId('kpi-new_customers')
    expect(lastArgs(calls, 'reports_drill')).toEqual({ query: { query: { preset: 'month' }, target: { kind: 'new_customers' }, limit: 50 } })
    expect(text('drill-total')).toBe('共 60 条')
    expect(document.querySelectorAll('[data-testid^="drill-row-"]').length).toBe(50)
    await clickTestId('drill-more')
    expect(lastArgs(calls, 'reports_drill')).toMatchObject({ query: { cursor: '50', target: { kind: 'new_customers' } } })
    expect(document.querySelectorAll('[data-testid^="drill-row-"]').length).toBe(60)
    expect(byTestId('drill-more')).toBeNull()
    await clickTestId('drill-row-customer-103')
    expect(router.currentRoute.value.fullPath).toBe('/customers/103')
  })

  it('every KPI and chart element asks for the right rows', async () => {
    const calls = serve()
    await mountWith(ReportsPage)
    const target = () => (lastArgs(calls, 'reports_drill')!.query as { target: unknown }).target
    await clickTestId('kpi-amount_won')
    expect(target()).toEqual({ kind: 'won_deals' })
    await clickTestId('kpi-pipeline')
    expect(target()).toEqual({ kind: 'pipeline' })
    await pick('chart-trend', { seriesIndex: 1, dataIndex: 1 })
    expect(target()).toEqual({ kind: 'month', month: '2026-11', series: 'won' })
    await pick('chart-trend', { seriesIndex: 0, dataIndex: 0 })
    expect(target()).toEqual({ kind: 'month', month: '2026-10', series: 'new_customers' })
    await pick('chart-funnel', { seriesIndex: 0, dataIndex: 2 })
    expect(target()).toEqual({ kind: 'stage', stageId: 3 })
    await pick('chart-industries', { seriesIndex: 0, dataIndex: 0 })
    expect(target()).toEqual({ kind: 'group', dimension: 'industry', key: '制造业' })
    await pick('chart-industries', { seriesIndex: 0, dataIndex: 2 })
    expect(target()).toEqual({ kind: 'group', dimension: 'industry' })
    await pick('chart-sources', { seriesIndex: 0, dataIndex: 0 })
    expect(target()).toEqual({ kind: 'group', dimension: 'source', key: '官网' })
  })

  it('changing the period asks again; a custom period waits for its days', async () => {
    const calls = serve()
    await mountWith(ReportsPage)
    await clickTestId('period-year')
    expect(lastArgs(calls, 'reports_dashboard')).toEqual({ query: { preset: 'year' } })
    const before = calls.filter(([cmd]) => cmd === 'reports_dashboard').length
    await clickTestId('period-custom')
    expect(byTestId('pick-range')).not.toBeNull()
    expect(calls.filter(([cmd]) => cmd === 'reports_dashboard').length).toBe(before)
    expect((byTestId('export-current') as HTMLButtonElement).disabled).toBe(true)
  })

  it('an empty period shows clean empty charts, never NaN', async () => {
    const empty: Dashboard = {
      ...dashboard,
      kpis: dashboard.kpis.map((k) => ({ ...k, value: 0, previous: 0, yearAgo: 0, change: null, changeYear: null })),
      trend: dashboard.trend.map((p) => ({ ...p, newCustomers: 0, wonCount: 0, wonAmountFen: 0 })),
      funnel: { ...funnel, totalCount: 0 },
      industries: { ...industries, rows: [], totalCustomers: 0, totalWonFen: 0 },
      sources: { ...industries, rows: [], totalCustomers: 0, totalWonFen: 0 },
    }
    serve()
    backend((cmd) => (cmd === 'reports_dashboard' ? empty : cmd === 'reports_owners' ? [] : null))
    await mountWith(ReportsPage)
    expect(text('kpi-value-amount_won')).toBe('¥0')
    expect(document.body.textContent).not.toContain('NaN')
    expect(byTestId('chart-funnel')).toBeNull()
    expect(byTestId('chart-funnel-card')!.textContent).toContain('本期暂无数据')
  })
})

describe('ReportsPage: the reports', () => {
  it('customer analysis: the insight line, the table, the dimension and its drill', async () => {
    const calls = serve()
    await mountWith(ReportsPage)
    await tab('customers')
    expect(text('customers-insight')).toBe('制造业客户占比40%，贡献60%业绩')
    expect(text('group-row-制造业')).toContain('40.0%')
    expect(text('group-row-none')).toContain('未填写')
    await clickTestId('group-row-none')
    expect((lastArgs(calls, 'reports_drill')!.query as { target: unknown }).target).toEqual({ kind: 'group', dimension: 'industry' })
    await clickTestId('dimension-size')
    expect(lastArgs(calls, 'reports_customers')).toEqual({ query: { preset: 'month' }, dimension: 'size' })
    expect(text('group-row-20_99')).toContain('20–99人')
    expect(text('customers-insight')).toBe('20–99人客户最多，占比60%；本期暂无成交')
  })

  it('sales performance: template 4 per owner and in total, drilled with the row’s owner', async () => {
    const calls = serve()
    await mountWith(ReportsPage)
    await tab('performance')
    expect(text('intent-stage')).toContain('「意向」指商机进入「意向客户」阶段')
    expect(text('perf-row-王经理')).toContain('¥850,000')
    expect(text('perf-row-王经理')).toContain('¥283,333')
    expect(text('perf-row-王经理')).toContain('37.5% (3/8)')
    expect(text('perf-row-王经理')).toContain('60.0%')
    expect(text('perf-row-total')).toContain('合计')
    expect(text('perf-row-none')).toContain('未指定负责人')
    // The "no owner" row cannot be asked for: its figures are not links.
    expect(byTestId('perf-newCustomers-none')).toBeNull()
    await clickTestId('perf-intentCustomers-王经理')
    expect(lastArgs(calls, 'reports_drill')).toMatchObject({ query: { query: { preset: 'month', owner: '王经理' }, target: { kind: 'intent_customers' } } })
    await clickTestId('perf-topShare-total')
    expect(lastArgs(calls, 'reports_drill')).toEqual({ query: { query: { preset: 'month' }, target: { kind: 'top_customers' }, limit: 50 } })
    expect(text('lost-line')).toBe('未成交原因：价格过高(40%)、选择竞品(30%)、未填写(30%)')
    await clickTestId('lost-row-none')
    expect((lastArgs(calls, 'reports_drill')!.query as { target: unknown }).target).toEqual({ kind: 'lost_deals', reason: '' })
  })

  it('follow-up efficiency: per method and in total; counts and responses open their follow-ups', async () => {
    const calls = serve()
    await mountWith(ReportsPage)
    await tab('followups')
    expect(cells('method-row-phone')).toEqual(['电话', '8', '5', '62.5%', '3.3', '80.0% (4/5)'])
    // A method nobody used this period stays out of the table and the chart.
    expect(byTestId('method-row-wechat')).toBeNull()
    expect(text('method-row-total')).toContain('合计')
    await clickTestId('method-responses-phone')
    expect((lastArgs(calls, 'reports_drill')!.query as { target: unknown }).target).toEqual({ kind: 'followups', methodId: 1, responded: true })
    await clickTestId('method-count-total')
    expect((lastArgs(calls, 'reports_drill')!.query as { target: unknown }).target).toEqual({ kind: 'followups' })
    await pick('chart-methods', { seriesIndex: 0, dataIndex: 0 })
    expect((lastArgs(calls, 'reports_drill')!.query as { target: unknown }).target).toEqual({ kind: 'followups', methodId: 1 })
  })

  it('funnel analysis: the weakest stage in a sentence and highlighted, stages open their deals', async () => {
    const calls = serve()
    await mountWith(ReportsPage)
    await tab('funnel')
    expect(text('funnel-weakest')).toBe('意向客户阶段转化率仅28.6%，是最薄弱的环节，建议重点优化')
    expect(byTestId('stage-row-qualified')!.className).toContain('weak-row')
    expect(cells('stage-row-lead')).toEqual(['潜在客户', '3', '10', '70.0%', '3', '4.3'])
    await clickTestId('stage-row-proposal')
    expect((lastArgs(calls, 'reports_drill')!.query as { target: unknown }).target).toEqual({ kind: 'stage', stageId: 3 })
  })

  it('exports the current tab, or all, to the path the user chose; a cancelled dialog writes nothing', async () => {
    let answer: string | null = '/home/u/Downloads/销售业绩_本月.xlsx'
    const calls = serve((cmd, args) => {
      if (cmd === 'reports_save_path') return answer
      if (cmd === 'reports_export') return args.path
      return null
    })
    await mountWith(ReportsPage)
    await tab('performance')
    await clickTestId('export-current')
    expect(lastArgs(calls, 'reports_save_path')).toEqual({ suggested: '销售业绩_本月.xlsx', filter: 'Excel 工作簿', extension: 'xlsx' })
    expect(lastArgs(calls, 'reports_export')).toEqual({ query: { preset: 'month' }, kind: 'performance', path: '/home/u/Downloads/销售业绩_本月.xlsx' })
    expect(document.body.textContent).toContain('已导出到 /home/u/Downloads/销售业绩_本月.xlsx')
    await clickTestId('export-all')
    expect(lastArgs(calls, 'reports_export')).toMatchObject({ kind: 'all' })
    answer = null
    const exports = calls.filter(([cmd]) => cmd === 'reports_export').length
    await clickTestId('export-current')
    expect(calls.filter(([cmd]) => cmd === 'reports_export').length).toBe(exports)
  })

  it('reads in English', async () => {
    serve()
    await mountWith(ReportsPage, {}, 'en')
    expect(text('kpi-new_customers')).toContain('New customers')
    expect(text('kpi-mom-new_customers')).toBe('MoM▲+25.0%')
    await tab('funnel')
    expect(text('funnel-weakest')).toBe('Qualified converts only 28.6%: the weakest stage, worth working on')
  })
})

describe('WorkbenchPage: this month’s KPI cards', () => {
  it('shows the five cards for this month and drills from them', async () => {
    const calls = backend((cmd) => {
      if (cmd === 'workbench') return { due: [], newCustomers: [], dealsAtRisk: [] }
      if (cmd === 'reports_kpis') return { period: dashboard.period, kpis: dashboard.kpis }
      if (cmd === 'reports_drill') return page(3, null)
      return null
    })
    await mountWith(WorkbenchPage)
    expect(lastArgs(calls, 'reports_kpis')).toEqual({ query: { preset: 'month' } })
    expect(calls.some(([cmd]) => cmd === 'reports_dashboard')).toBe(false)
    expect(text('workbench-kpis')).toContain('本月业绩')
    expect(text('kpi-value-deals_won')).toBe('3')
    await clickTestId('kpi-followups')
    expect(lastArgs(calls, 'reports_drill')).toEqual({ query: { query: { preset: 'month' }, target: { kind: 'followups' }, limit: 50 } })
    expect(byTestId('drill-drawer')).not.toBeNull()
  })

  it('leaves the row out when the figures cannot be had', async () => {
    backend((cmd) => {
      if (cmd === 'workbench') return { due: [], newCustomers: [], dealsAtRisk: [] }
      if (cmd === 'reports_kpis') throw { code: 'DATABASE', message: 'x', fields: {} }
      return null
    })
    await mountWith(WorkbenchPage)
    expect(byTestId('workbench-kpis')).toBeNull()
    expect(byTestId('workbench-due')).not.toBeNull()
  })
})
