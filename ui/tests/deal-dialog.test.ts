import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { createPinia } from 'pinia'
import { NMessageProvider } from 'naive-ui'
import DealDialog from '../src/components/deals/DealDialog.vue'
import LostReasonDialog from '../src/components/deals/LostReasonDialog.vue'
import { makeI18n } from '../src/i18n'
import type { Stage } from '../src/ipc'

const stages: Stage[] = [
  { id: 1, code: 'lead', name: '潜在客户', position: 1, probability: 10, kind: 'open', avgStayDays: null, stayCount: 0, stayMs: 0 },
  { id: 6, code: 'lost', name: '流失', position: 6, probability: 0, kind: 'lost', avgStayDays: null, stayCount: 0, stayMs: 0 },
]
const reasons = [{ id: 1, name: '价格过高', position: 1 }]

let calls: Array<[string, any]> = []
function backend(handle: (cmd: string, args: any) => unknown) {
  calls = []
  mockIPC((cmd, args) => {
    calls.push([cmd, args])
    return handle(cmd, args)
  })
}

function mountDialog() {
  const show = ref(true)
  const Host = defineComponent({
    render: () =>
      h(NMessageProvider, null, {
        default: () =>
          h(DealDialog, {
            show: show.value,
            'onUpdate:show': (v: boolean) => (show.value = v),
            customerId: 3,
            customerName: '科技有限公司',
            stages,
            reasons,
          }),
      }),
  })
  const wrapper = mount(Host, { global: { plugins: [makeI18n('zh-CN'), createPinia()] }, attachTo: document.body })
  return { wrapper, show }
}

function input(testid: string): HTMLInputElement | HTMLTextAreaElement {
  const el = document.querySelector(`[data-testid="${testid}"] input, [data-testid="${testid}"] textarea`)
  if (!el) throw new Error(`no input ${testid}`)
  return el as HTMLInputElement
}

async function typeInto(testid: string, value: string) {
  const el = input(testid)
  el.value = value
  el.dispatchEvent(new Event('input'))
  await flushPromises()
}

async function clickTestId(testid: string) {
  ;(document.querySelector(`[data-testid="${testid}"]`) as HTMLElement).click()
  await flushPromises()
}

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

describe('DealDialog', () => {
  it('sends a bare number as 万元 for the fixed customer and closes', async () => {
    backend((cmd, args) => (cmd === 'deals_add' ? { ...args.input, id: 9, name: args.input.name } : null))
    const { show } = mountDialog()
    await flushPromises()
    await typeInto('deal-name', 'CRM采购')
    await typeInto('deal-amount', '30')
    await clickTestId('deal-save')
    const add = calls.find(([cmd]) => cmd === 'deals_add')
    expect(add?.[1].input).toMatchObject({ customerId: 3, name: 'CRM采购', amount: '30万', stageId: 1 })
    expect(show.value).toBe(false)
  })

  it('marks the fields the core rejects, in the user language', async () => {
    backend((cmd) => {
      if (cmd === 'deals_add') throw { code: 'VALIDATION', message: 'invalid', fields: { amount: 'amount_invalid', name: 'required' } }
      return null
    })
    const { show } = mountDialog()
    await flushPromises()
    await typeInto('deal-amount', '面议')
    await clickTestId('deal-save')
    expect(show.value).toBe(true)
    const text = document.querySelector('[data-testid="deal-dialog"]')?.textContent ?? ''
    expect(text).toContain('金额')
    expect(text).toContain('必填')
  })
})

describe('LostReasonDialog', () => {
  it('will not confirm without a reason', async () => {
    const Host = defineComponent({
      emits: ['confirm'],
      render() {
        return h(LostReasonDialog, { show: true, reasons, dealName: 'CRM采购', onConfirm: (...a: unknown[]) => this.$emit('confirm', ...a) })
      },
    })
    const wrapper = mount(Host, { global: { plugins: [makeI18n('zh-CN')] }, attachTo: document.body })
    await flushPromises()
    expect(document.body.textContent).toContain('「CRM采购」为什么流失')
    await clickTestId('lost-confirm')
    expect(wrapper.emitted('confirm')).toBeUndefined()
    expect(document.body.textContent).toContain('请选择流失原因')
  })
})
