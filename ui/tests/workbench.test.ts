import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import WorkbenchPage from '../src/pages/WorkbenchPage.vue'
import FollowupsPage from '../src/pages/FollowupsPage.vue'
import { backend, byTestId, clickTestId, followup, methods, mountWith, reminder, typeInto, type Handler } from './support'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

const overdue = reminder({ id: 5, customerName: '明达贸易', customerId: 43, action: '寄送样品', dueAt: new Date(Date.now() - 3600_000).toISOString() })
const later = reminder({ id: 7 })
const firstContact = reminder({ id: 8, rule: 'first_contact', action: null, customerName: '远景贸易' })
const fresh = { id: 50, name: '新客户甲', owner: '陈经理', createdAt: new Date().toISOString() }

function serve(handle: Handler = () => null) {
  return backend((cmd, args) => {
    if (cmd === 'workbench') return { due: [overdue, later, firstContact], newCustomers: [fresh] }
    if (cmd === 'followup_methods') return methods
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
