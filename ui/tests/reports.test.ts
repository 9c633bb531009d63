import { describe, expect, it } from 'vitest'
import { makeI18n } from '../src/i18n'
import { AppError, type GroupRow } from '../src/ipc'
import {
  change, dataUrlBytes, drillQuery, drillTitle, drillable, fileName, groupLabel, groupTarget, insight, kpiTarget, kpiValue,
  lostTarget, methodName, methodTarget, money, moneyShort, pct, pctShort, performanceTarget, reportError, reportQuery, rowOwner,
} from '../src/components/reports/figures'
import { drawnRows, funnelOption, pieOption, topGroups, trendOption, chartWords } from '../src/components/reports/options'

type Messages = { t: (key: string, named?: Record<string, unknown>) => string; te: (key: string) => boolean }

function words(locale: 'zh-CN' | 'en' = 'zh-CN'): Messages {
  const global = makeI18n(locale).global as unknown as Messages
  return { t: (key, named) => global.t(key, named ?? {}), te: (key) => global.te(key) }
}

const row = (key: string | null, customers: number, share: number, wonAmountFen: number, wonShare: number | null): GroupRow =>
  ({ key, customers, share, wonAmountFen, wonShare })

describe('changes against an earlier period', () => {
  it('reads up, down, flat and nothing to compare with', () => {
    expect(change(0.125)).toEqual({ text: '+12.5%', direction: 'up' })
    expect(change(-0.4)).toEqual({ text: '-40.0%', direction: 'down' })
    expect(change(0)).toEqual({ text: '0.0%', direction: 'flat' })
    // Rounds to one decimal before deciding: a change too small to show is flat, not a red arrow.
    expect(change(-0.0004)).toEqual({ text: '0.0%', direction: 'flat' })
    expect(change(null)).toEqual({ text: '—', direction: null })
    expect(change(Number.NaN)).toEqual({ text: '—', direction: null })
    expect(change(Number.POSITIVE_INFINITY)).toEqual({ text: '—', direction: null })
  })

  it('shares read with one decimal, never NaN', () => {
    expect(pct(0.375)).toBe('37.5%')
    expect(pct(1)).toBe('100.0%')
    expect(pct(2 / 3)).toBe('66.7%')
    expect(pct(null)).toBe('—')
    expect(pct(0 / 0)).toBe('—')
    expect(pctShort(0.4)).toBe('40%')
    expect(pctShort(0.375)).toBe('37.5%')
  })
})

describe('money', () => {
  it('fen as whole yuan with separators', () => {
    expect(money(123_456_789)).toBe('¥1,234,568')
    expect(money(0)).toBe('¥0')
    expect(money(null)).toBe('—')
    expect(money(-150_000)).toBe('-¥1,500')
  })

  it('short amounts in 万/亿, or k/M in English', () => {
    expect(moneyShort(85_000_000, 'zh-CN')).toBe('¥85万')
    expect(moneyShort(28_333_333, 'zh-CN')).toBe('¥28.33万')
    expect(moneyShort(1_500_000_000_0, 'zh-CN')).toBe('¥1.5亿')
    expect(moneyShort(990_000, 'zh-CN')).toBe('¥9900')
    expect(moneyShort(85_000_000, 'en')).toBe('¥850k')
    expect(moneyShort(123_400_000, 'en')).toBe('¥1.23M')
    expect(moneyShort(0, 'en')).toBe('¥0')
  })

  it('a KPI shows money short and counts with separators', () => {
    expect(kpiValue({ key: 'amount_won', value: 85_000_000 }, 'zh-CN')).toBe('¥85万')
    expect(kpiValue({ key: 'new_customers', value: 12_345 }, 'zh-CN')).toBe('12,345')
  })
})

describe('group names and the insight line', () => {
  it('size bands and grades by their code, an empty key as 未填写', () => {
    const zh = words()
    expect(groupLabel(zh.t, zh.te, 'size', '20_99')).toBe('20–99人')
    expect(groupLabel(zh.t, zh.te, 'size', 'ge1000')).toBe('1000人及以上')
    expect(groupLabel(zh.t, zh.te, 'grade', 'A')).toBe('A级')
    expect(groupLabel(zh.t, zh.te, 'industry', null)).toBe('未填写')
    expect(groupLabel(zh.t, zh.te, 'industry', '制造业')).toBe('制造业')
    // Only sizes know band codes.
    expect(groupLabel(zh.t, zh.te, 'tag', 'lt20')).toBe('lt20')
    const en = words('en')
    expect(groupLabel(en.t, en.te, 'size', 'lt20')).toBe('< 20 staff')
    expect(groupLabel(en.t, en.te, 'region', '')).toBe('Not set')
  })

  it("reads the seed's sentence off the group that won the most", () => {
    const zh = words()
    const rows = [row('服务业', 5, 0.5, 2_000_000, 0.2), row('制造业', 4, 0.4, 6_000_000, 0.6), row(null, 1, 0.1, 2_000_000, 0.2)]
    expect(insight(zh.t, zh.te, 'industry', rows)).toBe('制造业客户占比40%，贡献60%业绩')
    const en = words('en')
    expect(insight(en.t, en.te, 'industry', rows)).toBe('制造业 customers are 40% of the book and brought 60% of the amount won')
  })

  it('names the largest group when nothing was won, and nothing without a named group', () => {
    const zh = words()
    const rows = [row('20_99', 6, 0.6, 0, null), row('lt20', 3, 0.3, 0, null), row(null, 1, 0.1, 0, null)]
    expect(insight(zh.t, zh.te, 'size', rows)).toBe('20–99人客户最多，占比60%；本期暂无成交')
    expect(insight(zh.t, zh.te, 'industry', [row(null, 3, 1, 0, null)])).toBeNull()
    expect(insight(zh.t, zh.te, 'industry', [])).toBeNull()
    expect(insight(zh.t, zh.te, 'tag', [row('VIP', 2, 0.5, 100, 1)])).toBe('「VIP」客户占比50%，贡献100%业绩')
  })

  it('built-in methods in the UI language, the user’s own as typed', () => {
    const en = words('en')
    expect(methodName(en.t, en.te, { code: 'wechat', name: '微信' })).toBe('WeChat')
    expect(methodName(en.t, en.te, { code: null, name: '展会' })).toBe('展会')
  })
})

describe('what each figure opens', () => {
  it('KPI cards', () => {
    expect(kpiTarget('new_customers')).toEqual({ kind: 'new_customers' })
    expect(kpiTarget('followups')).toEqual({ kind: 'followups' })
    expect(kpiTarget('deals_won')).toEqual({ kind: 'won_deals' })
    expect(kpiTarget('amount_won')).toEqual({ kind: 'won_deals' })
    expect(kpiTarget('pipeline')).toEqual({ kind: 'pipeline' })
  })

  it('the performance columns', () => {
    expect(performanceTarget('newCustomers')).toEqual({ kind: 'new_customers' })
    expect(performanceTarget('intentCustomers')).toEqual({ kind: 'intent_customers' })
    expect(performanceTarget('wonCustomers')).toEqual({ kind: 'won_customers' })
    expect(performanceTarget('avgDealFen')).toEqual({ kind: 'won_customers' })
    expect(performanceTarget('wonAmountFen')).toEqual({ kind: 'won_deals' })
    expect(performanceTarget('topShare')).toEqual({ kind: 'top_customers' })
  })

  it('methods, groups and lost reasons', () => {
    expect(methodTarget({ methodId: 2 })).toEqual({ kind: 'followups', methodId: 2 })
    expect(methodTarget({ methodId: 2 }, true)).toEqual({ kind: 'followups', methodId: 2, responded: true })
    expect(methodTarget({ methodId: null })).toEqual({ kind: 'followups' })
    expect(groupTarget('industry', '制造业')).toEqual({ kind: 'group', dimension: 'industry', key: '制造业' })
    expect(groupTarget('size', null)).toEqual({ kind: 'group', dimension: 'size' })
    expect(lostTarget('')).toEqual({ kind: 'lost_deals', reason: '' })
  })

  it('a per-owner row narrows to its owner; the total keeps the report’s filter; "no owner" cannot be asked for', () => {
    const base = { owner: null, newCustomers: 1, intentCustomers: 0, wonCustomers: 0, wonDeals: 0, wonAmountFen: 0, avgDealFen: null, conversion: null, topShare: null, topCustomers: 0, topAmountFen: 0 }
    const query = { preset: 'year' as const }
    const target = { kind: 'won_deals' as const }
    expect(drillQuery(query, target, 50, null, rowOwner({ ...base, owner: '王经理' }, false))).toEqual({ query: { preset: 'year', owner: '王经理' }, target, limit: 50 })
    expect(drillQuery({ ...query, owner: '李经理' }, target, 50, '50', rowOwner(base, true))).toEqual({
      query: { preset: 'year', owner: '李经理' }, target, limit: 50, cursor: '50',
    })
    expect(drillable(base, false)).toBe(false)
    expect(drillable(base, true)).toBe(true)
    expect(drillable({ ...base, owner: '王经理' }, false)).toBe(true)
  })

  it('drawer titles', () => {
    const zh = words()
    expect(drillTitle(zh.t, { kind: 'followups', responded: true })).toBe('有回应的跟进')
    expect(drillTitle(zh.t, { kind: 'month', month: '2026-03', series: 'won' })).toBe('2026-03 成交商机')
    expect(drillTitle(zh.t, { kind: 'top_customers' })).toBe('高价值客户（成交金额前20%）')
  })
})

describe('the page state as a query', () => {
  it('presets need no days; a custom period waits for both; the owner is trimmed', () => {
    expect(reportQuery('month', null, null)).toEqual({ preset: 'month' })
    expect(reportQuery('custom', null, '王经理')).toBeNull()
    expect(reportQuery('custom', ['2026-01-01', '2026-03-31'], ' 王经理 ')).toEqual({
      preset: 'custom', from: '2026-01-01', to: '2026-03-31', owner: '王经理',
    })
    expect(reportQuery('year', ['2026-01-01', '2026-03-31'], '  ')).toEqual({ preset: 'year' })
  })

  it('errors: a custom period’s reason in words, else by code', () => {
    const zh = words()
    expect(reportError(zh.t, zh.te, new AppError('VALIDATION', 'x', { to: 'before_from' }))).toBe('结束日期早于开始日期')
    expect(reportError(zh.t, zh.te, new AppError('VALIDATION', 'x', { bytes: 'not_png' }))).toBe('图片格式无效')
    expect(reportError(zh.t, zh.te, new AppError('BUSY', 'x'))).toBe('数据库正被其他程序占用，请稍后重试')
  })

  it('file names and picture bytes', () => {
    expect(fileName('销售业绩_2026/01:02?.xlsx')).toBe('销售业绩_2026_01_02_.xlsx')
    expect(dataUrlBytes('data:image/png;base64,iVBORw0KGgo=')).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  })
})

describe('charts', () => {
  const w = chartWords(words().t)

  it('the trend: bars of new customers, a line of the amount won in 万元 on the second axis', () => {
    const option = trendOption(
      [{ month: '2026-02', newCustomers: 3, wonCount: 1, wonAmountFen: 12_345_600 }, { month: '2026-03', newCustomers: 0, wonCount: 0, wonAmountFen: 0 }],
      w,
      String,
    )
    expect(option.xAxis.data).toEqual(['26/02', '26/03'])
    expect(option.series[0]).toMatchObject({ type: 'bar', data: [3, 0] })
    expect(option.series[1]).toMatchObject({ type: 'line', yAxisIndex: 1, data: [12.35, 0] })
  })

  it('a real funnel series in funnel order, 流失 beside it, the weakest stage in red', () => {
    const stage = (stageId: number, kind: 'open' | 'won' | 'lost', reached: number) =>
      ({ stageId, code: null, name: `S${stageId}`, kind, count: 0, amountFen: 0, weightedFen: 0, reached, reachedAmountFen: 0, conversion: null, dropOff: null, avgStayDays: null })
    const report = {
      stages: [stage(1, 'open', 10), stage(2, 'open', 4), stage(5, 'won', 2), stage(6, 'lost', 3)],
      weakestStageId: 1, totalCount: 10, openAmountFen: 0, weightedFen: 0, wonCount: 2, wonAmountFen: 0, avgCycleDays: null, lostReasons: [],
    }
    const option = funnelOption(report, (s) => s.name, String)
    expect(option.series[0].type).toBe('funnel')
    expect(option.series[0].data.map((d) => [d.name, d.value])).toEqual([['S1', 10], ['S2', 4], ['S5', 2]])
    expect(option.series[0].data[0].itemStyle.color).toBe('#d03050')
  })

  it('pies keep eight slices, the rest as one grey "other"; horizontal bars are drawn bottom up', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(`g${i}`, 10 - i, 0, 0, null))
    expect(topGroups(rows, 8).rows.map((r) => r.key)).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5', 'g6'])
    expect(topGroups(rows, 8).other).toBe(3 + 2 + 1)
    const pie = pieOption(rows, (r) => r.key ?? '', w)
    expect(pie.series[0].data.at(-1)).toMatchObject({ name: '其他', value: 6 })
    expect(drawnRows(rows.slice(0, 3), 10).map((r) => r.key)).toEqual(['g2', 'g1', 'g0'])
  })
})
