import { describe, expect, it } from 'vitest'
import { daysLeftText, fenToWan, percent, stageLabel, wanInput } from '../src/deals'
import { makeI18n } from '../src/i18n'

type Messages = { t: (key: string, named?: Record<string, unknown>, plural?: number) => string; te: (key: string) => boolean }
const zh = makeI18n('zh-CN').global as unknown as Messages
const en = makeI18n('en').global as unknown as Messages

describe('deal helpers', () => {
  it('shows fen in 万元', () => {
    expect(fenToWan(30_000_000)).toBe('30')
    expect(fenToWan(12_500_000)).toBe('12.5')
    expect(fenToWan(1_234_500)).toBe('1.23')
    expect(fenToWan(0)).toBe('0')
  })

  it('a bare number in the amount field means 万元; anything else is sent as typed', () => {
    expect(wanInput('30')).toBe('30万')
    expect(wanInput(' 12.5 ')).toBe('12.5万')
    expect(wanInput('¥3,000')).toBe('¥3,000')
    expect(wanInput('1.5亿')).toBe('1.5亿')
    expect(wanInput('')).toBe('')
  })

  it('says how many days are left or overdue', () => {
    expect(daysLeftText(zh.t, 47)).toBe('还剩 47 天')
    expect(daysLeftText(zh.t, -3)).toBe('已逾期 3 天')
    expect(daysLeftText(zh.t, 0)).toBe('今天到期')
    expect(daysLeftText(en.t, 47)).toBe('47 days left')
    expect(daysLeftText(en.t, 1)).toBe('1 day left')
    expect(daysLeftText(en.t, -1)).toBe('1 day overdue')
    expect(daysLeftText(en.t, -3)).toBe('3 days overdue')
    expect(daysLeftText(zh.t, -1)).toBe('已逾期 1 天')
    expect(daysLeftText(en.t, null)).toBe('')
  })

  it('translates built-in stages only while they keep their shipped name', () => {
    expect(stageLabel(en.t, en.te, { code: 'proposal', name: '方案提交' })).toBe('Proposal')
    expect(stageLabel(en.t, en.te, { code: 'proposal', name: '方案阶段' })).toBe('方案阶段')
    expect(stageLabel(en.t, en.te, { code: null, name: '产品演示' })).toBe('产品演示')
    expect(stageLabel(zh.t, zh.te, { code: 'lead', name: '潜在客户' })).toBe('潜在客户')
  })

  it('rounds percentages to one decimal', () => {
    expect(percent(2 / 3)).toBe('66.7%')
    expect(percent(0.5)).toBe('50%')
    expect(percent(null)).toBe('—')
  })
})
