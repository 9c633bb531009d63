import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import WorkbenchPage from '../src/pages/WorkbenchPage.vue'
import FollowupsPage from '../src/pages/FollowupsPage.vue'
import {
  backend, byTestId, clickTestId, deal, followup, methods, mountWith, reminder, stages, typeInto, type Handler,
} from './support'
import type { Deal } from '../src/ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

const overdue = reminder({ id: 5, customerName: '明达贸易', customerId: 43, action: '寄送样品', dueAt: new Date(Date.now() - 3600_000).toISOString() })
const later = reminder({ id: 7 })
const firstContact = reminder({ id: 8, rule: 'first_contact', action: null, customerName: '远景贸易' })
const fresh = { id: 50, name: '新客户甲', owner: '陈经理', createdAt: new Date().toISOString() }

const stalled = deal(21, {
  name: 'CRM系统采购', customerId: 43, customerName: '明达贸易', amountFen: 12_345_000, stageId: 4, owner: '李经理',
  daysLeft: -3, stalled: ['no_contact', 'overdue'],
})
const slow = deal(22, { name: '年度维保', amountFen: 30_000_000, stageId: 2, stalled: ['slow_stage'] })
/** Another open deal of 明达贸易's, not at risk. */
const sibling = deal(23, { name: '二期扩容', customerId: 43, customerName: '明达贸易', stageId: 1 })

function serve(handle: Handler = () => null, atRisk: Deal[] = [stalled, slow]) {
  return backend((cmd, args) => {
    if (cmd === 'workbench') return { due: [overdue, later, firstContact], newCustomers: [fresh], dealsAtRisk: atRisk }
    if (cmd === 'followup_methods') return methods
    if (cmd === 'deal_stages_list') return stages
    if (cmd === 'deals_list') return { items: [stalled, sibling], nextCursor: null }
    return handle(cmd, args)
  })
}

const count = (calls: Array<[string, unknown]>, command: string) => calls.filter(([cmd]) => cmd === command).length

describe('WorkbenchPage', () => {
  it('lists today’s reminders with the overdue ones marked, and the new customers', async () => {
    serve()
    await mountWith(WorkbenchPage)
    expect(byTestId('reminder-action-7')!.textContent).toBe('电话确认报价')
    expect(byTestId('reminder-overdue-5')).not.toBeNull()
    expect(byTestId('reminder-overdue-7')).toBeNull()
    expect(byTestId('reminder-due-5')!.className).toContain('late')
    // A rule reminder is worded by its rule.
    expect(byTestId('reminder-action-8')!.textContent).toBe('首次联系新客户')
    expect(byTestId('new-customer-50')!.textContent).toContain('新客户甲')
    expect(byTestId('workbench-due')!.textContent).toContain('3 项')
  })

  it('snoozes by the chosen amount and reloads', async () => {
    const calls = serve((cmd) => (cmd === 'reminder_snooze' ? { ...later, remindAt: new Date().toISOString() } : null))
    await mountWith(WorkbenchPage)
    await clickTestId('reminder-snooze-7')
    const option = await vi.waitFor(() => {
      const found = byTestId('reminder-snooze-1h-7')
      if (!found) throw new Error('the snooze menu is not open yet')
      return found
    })
    option.click()
    await flushPromises()
    expect(calls.find(([cmd]) => cmd === 'reminder_snooze')?.[1]).toEqual({ id: 7, snooze: '1h' })
    expect(count(calls, 'workbench')).toBe(2)
  })

  it('marks a reminder done and reloads', async () => {
    const calls = serve((cmd) => (cmd === 'reminder_done' ? { ...overdue, status: 'done' } : null))
    await mountWith(WorkbenchPage)
    await clickTestId('reminder-done-5')
    expect(calls.find(([cmd]) => cmd === 'reminder_done')?.[1]).toEqual({ id: 5 })
    expect(count(calls, 'workbench')).toBe(2)
    expect(document.body.textContent).toContain('已完成：明达贸易')
  })

  it('a reminder someone already handled just refreshes the list', async () => {
    const calls = serve((cmd) => {
      if (cmd === 'reminder_done') throw { code: 'CONFLICT', message: 'conflict', fields: { status: 'reminder_not_open' } }
      return null
    })
    await mountWith(WorkbenchPage)
    await clickTestId('reminder-done-5')
    expect(document.body.textContent).toContain('这条提醒已处理过了')
    expect(count(calls, 'workbench')).toBe(2)
  })

  it('the quick log opens the follow-up dialog for that customer and reloads after saving', async () => {
    const calls = serve((cmd) => (cmd === 'followups_add' ? followup({ customerId: 43 }) : null))
    await mountWith(WorkbenchPage)
    await clickTestId('reminder-log-5')
    expect(document.body.textContent).toContain('写跟进 · 明达贸易')
    await typeInto('followup-content', '已寄出样品，客户下周试用')
    await clickTestId('followup-save')
    expect(calls.find(([cmd]) => cmd === 'followups_add')?.[1]).toMatchObject({ customerId: 43, input: { content: '已寄出样品，客户下周试用' } })
    expect(count(calls, 'workbench')).toBe(2)
    expect(byTestId('followup-dialog')).toBeNull()
  })

  it('a new customer gets the quick log too', async () => {
    serve()
    await mountWith(WorkbenchPage)
    await clickTestId('new-customer-log-50')
    expect(document.body.textContent).toContain('写跟进 · 新客户甲')
  })
})

describe('WorkbenchPage: deals at risk', () => {
  it('lists each deal with its customer, amount in 万元, stage and why it is at risk', async () => {
    serve()
    await mountWith(WorkbenchPage)
    expect(byTestId('workbench-risk')!.textContent).toContain('有风险的商机')
    expect(byTestId('workbench-risk')!.textContent).toContain('2 个')
    expect(byTestId('risk-deal-name-21')!.textContent).toBe('CRM系统采购')
    expect(byTestId('risk-deal-amount-21')!.textContent).toBe('12.35万')
    expect(byTestId('risk-deal-amount-22')!.textContent).toBe('30万')
    expect(byTestId('risk-deal-stage-21')!.textContent).toBe('合同谈判')
    expect(byTestId('risk-deal-stage-22')!.textContent).toBe('意向客户')
    expect(byTestId('risk-deal-reasons-21')!.textContent).toBe('久未跟进已逾期 3 天')
    expect(byTestId('risk-deal-reasons-22')!.textContent).toBe('停留过久')
    expect(byTestId('risk-deal-22')!.textContent).not.toContain('还剩')
    const link = byTestId('risk-deal-customer-21') as HTMLAnchorElement
    expect(link.textContent!.trim()).toBe('明达贸易')
    expect(link.getAttribute('href')).toBe('/customers/43')
    expect(byTestId('workbench-risk-empty')).toBeNull()
  })

  it('reads in English', async () => {
    serve()
    await mountWith(WorkbenchPage, {}, 'en')
    expect(byTestId('workbench-risk')!.textContent).toContain('Deals at risk')
    expect(byTestId('workbench-risk')!.textContent).toContain('2 deals')
    expect(byTestId('risk-deal-stage-21')!.textContent).toBe('Negotiation')
    expect(byTestId('risk-deal-reasons-21')!.textContent).toBe('No contact3 days overdue')
    expect(byTestId('risk-deal-log-21')!.textContent!.trim()).toBe('Log follow-up')
  })

  it('says so when no deal is at risk', async () => {
    serve(() => null, [])
    await mountWith(WorkbenchPage)
    expect(byTestId('workbench-risk-empty')!.textContent).toContain('没有停滞的商机')
    expect(document.querySelector('[data-testid^="risk-deal-"]')).toBeNull()
  })

  it('the quick log is for the deal’s customer with the deal chosen, and sends it', async () => {
    const calls = serve((cmd) => (cmd === 'followups_add' ? followup({ customerId: 43, dealId: 21 }) : null))
    await mountWith(WorkbenchPage)
    await clickTestId('risk-deal-log-21')
    expect(document.body.textContent).toContain('写跟进 · 明达贸易')
    expect(calls.find(([cmd]) => cmd === 'deals_list')?.[1]).toEqual({ query: { filter: { customerId: 43 }, limit: 50 } })
    expect(byTestId('followup-deal')!.textContent).toContain('CRM系统采购 · 12.35万 · 合同谈判')
    expect((byTestId('followup-owner')!.querySelector('input') as HTMLInputElement).value).toBe('李经理')
    await typeInto('followup-content', '电话沟通，客户仍在比较两家报价')
    await clickTestId('followup-save')
    expect(calls.find(([cmd]) => cmd === 'followups_add')?.[1]).toMatchObject({ customerId: 43, input: { dealId: 21 } })
    expect(count(calls, 'workbench')).toBe(2)
  })

  it('a reminder’s quick log chooses no deal', async () => {
    const calls = serve((cmd) => (cmd === 'followups_add' ? followup({ customerId: 43 }) : null))
    await mountWith(WorkbenchPage)
    await clickTestId('reminder-log-5')
    expect(byTestId('followup-deal')!.textContent).toContain('不关联具体商机')
    await clickTestId('followup-save')
    const input = calls.find(([cmd]) => cmd === 'followups_add')![1].input as Record<string, unknown>
    expect(input.dealId).toBeUndefined()
  })
})

describe('FollowupsPage (the plan)', () => {
  it('asks for the next 14 days and groups them by day, overdue first', async () => {
    const tomorrow = new Date()
    tomorrow.setDate(tomorrow.getDate() + 1)
    tomorrow.setHours(10, 0, 0, 0)
    const yesterday = new Date(Date.now() - 24 * 3600_000).toISOString()
    const calls = backend((cmd) =>
      cmd === 'reminders_upcoming'
        ? [
            reminder({ id: 1, remindAt: yesterday, dueAt: yesterday }),
            reminder({ id: 2 }),
            reminder({ id: 3, remindAt: tomorrow.toISOString(), dueAt: tomorrow.toISOString() }),
          ]
        : null,
    )
    await mountWith(FollowupsPage)
    expect(calls[0]).toEqual(['reminders_upcoming', { days: 14, limit: 500 }])
    const days = [...document.querySelectorAll('[data-testid^="plan-day-"]')].map((d) => d.getAttribute('data-testid'))
    expect(days).toHaveLength(3)
    expect(days[0]).toBe('plan-day-overdue')
    expect(byTestId('plan-day-overdue')!.querySelector('[data-testid="reminder-1"]')).not.toBeNull()
    expect(byTestId(days[2]!)!.querySelector('[data-testid="reminder-3"]')).not.toBeNull()
    expect(byTestId(days[1]!)!.textContent).toContain('今天')
  })
})
