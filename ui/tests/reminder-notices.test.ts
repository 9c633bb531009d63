import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import { emit } from '@tauri-apps/api/event'
import ReminderNotices from '../src/components/reminders/ReminderNotices.vue'
import { backend, byTestId, clickTestId, mountWith, reminder, type Handler } from './support'

afterEach(() => {
  clearMocks()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

function serve(missed: unknown[] = [], handle: Handler = () => null) {
  let pending = missed
  return backend((cmd, args) => {
    if (cmd === 'reminders_missed') {
      const answer = pending
      pending = []
      return answer
    }
    return handle(cmd, args)
  }, true)
}

async function announce(event: string, payload: unknown) {
  await emit(event, payload)
  await flushPromises()
  await vi.waitFor(() => expect(document.querySelector('.n-notification, [data-testid="missed-dialog"]')).not.toBeNull())
}

describe('ReminderNotices', () => {
  it('shows a pop-up per due reminder with the customer, the action and the due time', async () => {
    // Mid-morning, so "due in an hour" is today whenever the test runs (only the clock is faked).
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(2026, 2, 2, 10, 0))
    serve()
    await mountWith(ReminderNotices)
    await announce('reminders-due', { reminders: [reminder(), reminder({ id: 8, rule: 'dormant', action: null, customerName: '明达贸易' })] })
    const notices = document.querySelectorAll('.n-notification')
    expect(notices).toHaveLength(2)
    expect(notices[0].textContent).toContain('跟进提醒 · 华信科技')
    expect(byTestId('notice-7')!.textContent).toContain('电话确认报价')
    expect(byTestId('notice-7')!.textContent).toMatch(/到期 今天 \d\d:\d\d/)
    expect(byTestId('notice-8')!.textContent).toContain('长期未联系，回访客户')
    for (const id of ['reminder-open-7', 'reminder-snooze-7', 'reminder-done-7']) expect(byTestId(id)).not.toBeNull()
  })

  it('shows each reminder in the window, before and whatever the OS notification does', async () => {
    serve()
    await mountWith(ReminderNotices)
    await announce('reminders-due', { reminders: [reminder()] })
    expect(byTestId('notice-7')).not.toBeNull()
  })

  it('done from the pop-up completes the reminder and closes it', async () => {
    const calls = serve([], (cmd) => (cmd === 'reminder_done' ? { ...reminder(), status: 'done' } : null))
    await mountWith(ReminderNotices)
    await announce('reminders-due', { reminders: [reminder()] })
    await clickTestId('reminder-done-7')
    expect(calls.find(([cmd]) => cmd === 'reminder_done')?.[1]).toEqual({ id: 7 })
    await vi.waitFor(() => expect(byTestId('notice-7')).toBeNull())
  })

  it('opens the customer from the pop-up', async () => {
    serve()
    const { router } = await mountWith(ReminderNotices)
    await announce('reminders-due', { reminders: [reminder()] })
    await clickTestId('reminder-open-7')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/customers/42')
  })

  it('more than three at once become one summary', async () => {
    serve()
    await mountWith(ReminderNotices)
    await announce('reminders-due', { reminders: [1, 2, 3, 4].map((id) => reminder({ id })) })
    expect(document.querySelectorAll('.n-notification')).toHaveLength(1)
    expect(document.body.textContent).toContain('有 4 条跟进提醒')
    expect(byTestId('notice-1')).toBeNull()
  })

  it('asks for the missed reminders at start-up and lists them in a dialog with the same actions', async () => {
    const calls = serve([reminder({ id: 3, missed: true, customerName: '远景贸易' })], (cmd) =>
      cmd === 'reminder_snooze' ? reminder({ id: 3 }) : null,
    )
    await mountWith(ReminderNotices)
    expect(calls.some(([cmd]) => cmd === 'reminders_missed')).toBe(true)
    expect(byTestId('missed-dialog')!.textContent).toContain('错过的提醒')
    expect(byTestId('reminder-3')!.textContent).toContain('远景贸易')
    for (const id of ['reminder-open-3', 'reminder-snooze-3', 'reminder-done-3']) expect(byTestId(id)).not.toBeNull()
    await clickTestId('reminder-snooze-3')
    const option = await vi.waitFor(() => {
      const found = byTestId('reminder-snooze-tomorrow-3')
      if (!found) throw new Error('the snooze menu is not open yet')
      return found
    })
    option.click()
    await flushPromises()
    expect(calls.find(([cmd]) => cmd === 'reminder_snooze')?.[1]).toEqual({ id: 3, snooze: 'tomorrow' })
    await vi.waitFor(() => expect(byTestId('reminder-3')).toBeNull())
  })

  it('reminders missed while running join the dialog once', async () => {
    serve()
    await mountWith(ReminderNotices)
    const missed = reminder({ id: 4, missed: true })
    await announce('reminders-missed', { reminders: [missed] })
    await emit('reminders-missed', { reminders: [missed] })
    await flushPromises()
    expect(document.querySelectorAll('[data-testid="reminder-4"]')).toHaveLength(1)
  })

  it('a click on an OS notification opens that customer', async () => {
    serve()
    const { router } = await mountWith(ReminderNotices)
    await emit('open-customer', 42)
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/customers/42'))
  })

  it('speaks English too', async () => {
    serve()
    await mountWith(ReminderNotices, {}, 'en')
    await announce('reminders-due', { reminders: [reminder()] })
    expect(document.body.textContent).toContain('Follow-up · 华信科技')
    expect(byTestId('reminder-open-7')!.textContent).toContain('Open customer')
    expect(byTestId('reminder-snooze-7')!.textContent).toContain('Remind later')
    expect(byTestId('reminder-done-7')!.textContent).toContain('Done')
  })
})
