// Mounting pages and cards the way App.vue hosts them: the Naive UI providers, i18n, Pinia
// and a memory router with the routes the reminders link to.
import { defineComponent, h, type Component } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { mockIPC } from '@tauri-apps/api/mocks'
import { makeI18n } from '../src/i18n'
import type { Deal, Reminder, Stage } from '../src/ipc'

export type Call = [string, Record<string, unknown>]
export type Handler = (cmd: string, args: Record<string, unknown>) => unknown

/** Records every command and answers it with `handle`. */
export function backend(handle: Handler, events = false): Call[] {
  const calls: Call[] = []
  mockIPC(
    (cmd, args) => {
      calls.push([cmd, (args ?? {}) as Record<string, unknown>])
      return handle(cmd, (args ?? {}) as Record<string, unknown>)
    },
    { shouldMockEvents: events },
  )
  return calls
}

export async function mountWith(component: Component, props: Record<string, unknown> = {}, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const stub = { render: () => null }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'home', component: stub },
      { path: '/workbench', name: 'workbench', component: stub },
      { path: '/customers', name: 'customers', component: stub },
      { path: '/customers/:id', name: 'customer', component: stub },
    ],
  })
  await router.push('/')
  const Host = defineComponent({
    render: () =>
      h(NMessageProvider, null, {
        default: () =>
          h(NNotificationProvider, null, { default: () => h(NDialogProvider, null, { default: () => h(component, props) }) }),
      }),
  })
  const wrapper = mount(Host, { global: { plugins: [makeI18n(locale), router, createPinia()] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

/** Finds by test id anywhere in the document: modals, dropdowns and notifications are teleported. */
export function byTestId(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${id}"]`)
}

export async function clickTestId(id: string) {
  const el = byTestId(id)
  if (!el) throw new Error(`no [data-testid=${id}]`)
  el.click()
  await flushPromises()
}

/** Types into the input or textarea inside a Naive UI field. */
export async function typeInto(id: string, value: string) {
  const host = byTestId(id)
  const input = host?.matches('input, textarea') ? host : host?.querySelector<HTMLInputElement | HTMLTextAreaElement>('input, textarea')
  if (!input) throw new Error(`no input in [data-testid=${id}]`)
  ;(input as HTMLInputElement).value = value
  input.dispatchEvent(new Event('input', { bubbles: true }))
  input.dispatchEvent(new Event('change', { bubbles: true }))
  // Number inputs settle their value when focus leaves.
  input.dispatchEvent(new FocusEvent('blur'))
  await flushPromises()
}

export function inputValue(id: string): string {
  const host = byTestId(id)
  const input = host?.querySelector<HTMLInputElement | HTMLTextAreaElement>('input, textarea')
  return input?.value ?? ''
}

export const methods = [
  { id: 1, code: 'phone', name: '电话', template: null },
  { id: 2, code: 'wechat', name: '微信', template: null },
  { id: 3, code: 'visit', name: '拜访', template: null },
  { id: 6, code: null, name: '展会', template: '展位：\n聊到：' },
]

export function reminder(over: Partial<Reminder> = {}): Reminder {
  return {
    id: 7, customerId: 42, customerName: '华信科技', followupId: 3, rule: 'next_step', action: '电话确认报价', owner: '王经理',
    dueAt: new Date(Date.now() + 3600_000).toISOString(), remindAt: new Date(Date.now()).toISOString(),
    status: 'open', notifiedAt: null, missed: false, ...over,
  }
}

export function followup(over: Record<string, unknown> = {}) {
  return {
    id: 3, uid: 'f', customerId: 42, dealId: null, at: '2026-03-01T02:00:00Z', method: methods[0], owner: '王经理',
    content: '电话沟通', feedback: null, awaitingReply: false, nextStep: null, nextOwner: null, nextAt: null,
    createdAt: '2026-03-01T02:00:00Z', updatedAt: '2026-03-01T02:00:00Z', ...over,
  }
}

export function stage(id: number, code: string | null, name: string, kind: Stage['kind'] = 'open'): Stage {
  return { id, code, name, position: id, probability: 10 * id, kind, avgStayDays: null, stayCount: 0, stayMs: 0 }
}

/** The built-in stages as a fresh ledger has them. */
export const stages: Stage[] = [
  stage(1, 'lead', '潜在客户'),
  stage(2, 'qualified', '意向客户'),
  stage(3, 'proposal', '方案提交'),
  stage(4, 'negotiation', '合同谈判'),
  stage(5, 'won', '成交', 'won'),
  stage(6, 'lost', '流失', 'lost'),
]

export function deal(id: number, over: Partial<Deal> = {}): Deal {
  return {
    id, uid: `d${id}`, customerId: 42, customerName: '华信科技', name: `商机${id}`, amountFen: 30_000_000,
    closeDate: '2026-11-30', daysLeft: 47, probability: 50, probabilityOverride: null, owner: '王经理', stageId: 3,
    stageAt: '2026-10-14T01:00:00Z', lostReason: null, lostNote: null, notes: null, feedback: {},
    createdAt: '2026-10-14T01:00:00Z', updatedAt: '2026-10-14T01:00:00Z', deletedAt: null,
    lastContactAt: '2026-10-14T01:00:00Z', stalled: [], ...over,
  }
}
