import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import FollowupDialog from '../src/components/followups/FollowupDialog.vue'
import {
  backend, byTestId, clickTestId, deal, followup, inputValue, methods, mountWith, stages, typeInto, type Handler,
} from './support'
import type { Deal } from '../src/ipc'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

/** A customer without deals unless a test gives some. */
function serve(handle: Handler = () => null, deals: Deal[] = []) {
  return backend((cmd, args) => {
    if (cmd === 'followup_methods') return methods
    if (cmd === 'deal_stages_list') return stages
    if (cmd === 'deals_list') return { items: deals, nextCursor: null }
    return handle(cmd, args)
  })
}

const proposal = deal(11, { name: 'CRM系统采购', amountFen: 30_000_000, stageId: 3 })
const renewal = deal(12, { name: '年度维保', amountFen: 1_500_000, stageId: 1 })
const signed = deal(13, { name: '一期实施', amountFen: 50_000_000, stageId: 5 })

async function openSelect(id: string) {
  byTestId(id)!.querySelector<HTMLElement>('.n-base-selection')!.click()
  await flushPromises()
  return vi.waitFor(() => {
    const found = [...document.querySelectorAll<HTMLElement>('.n-base-select-option')]
    if (!found.length) throw new Error(`the ${id} menu is not open yet`)
    return found
  })
}

const open = (props: Record<string, unknown> = {}, locale: 'zh-CN' | 'en' = 'zh-CN') =>
  mountWith(FollowupDialog, { show: true, customerId: 42, customerName: '华信科技', owner: '王经理', ...props }, locale)

async function chooseMethod(label: string) {
  byTestId('followup-method')!.querySelector<HTMLElement>('.n-base-selection')!.click()
  await flushPromises()
  const option = await vi.waitFor(() => {
    const found = [...document.querySelectorAll<HTMLElement>('.n-base-select-option')].find((o) => o.textContent === label)
    if (!found) throw new Error(`no option ${label}`)
    return found
  })
  option.click()
  await flushPromises()
}

describe('FollowupDialog', () => {
  it('starts with the first method’s translated template and the customer’s owner', async () => {
    serve()
    await open()
    expect(document.body.textContent).toContain('写跟进 · 华信科技')
    expect(inputValue('followup-content')).toBe('沟通内容：\n客户反馈：\n下一步：')
    expect(inputValue('followup-owner')).toBe('王经理')
  })

  it('hints gently under 50 characters and never blocks saving', async () => {
    const calls = serve((cmd, args) => (cmd === 'followups_add' ? followup({ content: (args.input as { content: string }).content }) : null))
    await open()
    await typeInto('followup-content', '客户说考虑一下')
    expect(byTestId('followup-content-hint')!.textContent).toContain('已写 7 字')
    await typeInto('followup-content', '一'.repeat(50))
    expect(byTestId('followup-content-hint')).toBeNull()
    await typeInto('followup-content', '短')
    await clickTestId('followup-save')
    expect(calls.find(([cmd]) => cmd === 'followups_add')?.[1]).toMatchObject({ customerId: 42, input: { content: '短', method: 'phone' } })
  })

  it('a chosen method brings its template into untouched content; insert adds it to written text', async () => {
    serve()
    await open()
    await chooseMethod('拜访')
    expect(inputValue('followup-content')).toBe('拜访对象：\n沟通内容：\n客户反馈：\n下一步：')
    await chooseMethod('展会')
    expect(inputValue('followup-content')).toBe('展位：\n聊到：')
    await typeInto('followup-content', '在展会上见到了采购经理')
    await chooseMethod('微信')
    expect(inputValue('followup-content')).toBe('在展会上见到了采购经理')
    await clickTestId('followup-insert-template')
    expect(inputValue('followup-content')).toBe('在展会上见到了采购经理\n沟通内容：\n客户反馈：\n下一步：')
  })

  it('sends the next step with its owner and due time', async () => {
    const calls = serve((cmd) => (cmd === 'followups_add' ? followup() : null))
    const { wrapper } = await open()
    await typeInto('followup-content', '电话沟通了报价')
    await typeInto('followup-feedback', '价格偏高')
    byTestId('followup-awaiting')!.click()
    await typeInto('followup-next-step', '电话确认报价')
    await typeInto('followup-next-owner', '李经理')
    await typeInto('followup-next-at', '2026-03-05 10:00')
    await clickTestId('followup-save')
    const input = calls.find(([cmd]) => cmd === 'followups_add')![1].input as Record<string, unknown>
    expect(input).toMatchObject({
      method: 'phone', owner: '王经理', content: '电话沟通了报价', feedback: '价格偏高', awaitingReply: true,
      nextStep: '电话确认报价', nextOwner: '李经理', nextAt: new Date(2026, 2, 5, 10, 0).toISOString(),
    })
    expect(typeof input.at).toBe('string')
    expect(wrapper.findComponent(FollowupDialog).emitted('saved')).toHaveLength(1)
    expect(wrapper.findComponent(FollowupDialog).emitted('update:show')).toEqual([[false]])
  })

  it('shows the core’s field codes translated, each on its own field', async () => {
    serve(() => {
      throw {
        code: 'VALIDATION', message: 'invalid input',
        fields: { at: 'in_future', content: 'required', nextAt: 'not_after_followup', nextStep: 'required', method: 'unknown_method' },
      }
    })
    const { wrapper } = await open()
    await clickTestId('followup-save')
    expect(byTestId('followup-error-at')!.textContent).toBe('不能晚于现在')
    expect(byTestId('followup-error-content')!.textContent).toBe('必填')
    expect(byTestId('followup-error-nextAt')!.textContent).toBe('须晚于跟进时间')
    expect(byTestId('followup-error-nextStep')!.textContent).toBe('必填')
    expect(byTestId('followup-error-method')!.textContent).toBe('没有这种跟进方式')
    expect(wrapper.findComponent(FollowupDialog).emitted('saved')).toBeUndefined()
    // Editing a field clears its mark.
    await typeInto('followup-content', '补上内容')
    expect(byTestId('followup-error-content')).toBeNull()
    expect(byTestId('followup-error-nextAt')).not.toBeNull()
  })

  it('says it in English too', async () => {
    serve(() => {
      throw { code: 'VALIDATION', message: 'invalid input', fields: { nextAt: 'required' } }
    })
    await open({}, 'en')
    expect(inputValue('followup-content')).toBe('Discussed:\nCustomer feedback:\nNext step:')
    await clickTestId('followup-save')
    expect(byTestId('followup-error-nextAt')!.textContent).toBe('Required')
  })

  it('edits an existing follow-up in place', async () => {
    const existing = followup({ id: 9, method: methods[3], content: '展会上聊了新品', nextStep: '寄样品', nextAt: '2026-03-06T01:00:00Z' })
    const calls = serve((cmd) => (cmd === 'followups_update' ? existing : null))
    await open({ followup: existing })
    expect(document.body.textContent).toContain('编辑跟进 · 华信科技')
    expect(inputValue('followup-content')).toBe('展会上聊了新品')
    expect(inputValue('followup-next-step')).toBe('寄样品')
    await clickTestId('followup-save')
    expect(calls.find(([cmd]) => cmd === 'followups_update')?.[1]).toMatchObject({
      id: 9, input: { method: '展会', content: '展会上聊了新品', nextStep: '寄样品', nextAt: '2026-03-06T01:00:00.000Z' },
    })
  })

  it('has no deal select when the customer has no deals', async () => {
    const calls = serve((cmd) => (cmd === 'followups_add' ? followup() : null))
    await open()
    expect(calls.find(([cmd]) => cmd === 'deals_list')?.[1]).toEqual({ query: { filter: { customerId: 42 }, limit: 50 } })
    expect(byTestId('followup-deal')).toBeNull()
    await clickTestId('followup-save')
    const input = calls.find(([cmd]) => cmd === 'followups_add')![1].input as Record<string, unknown>
    expect('dealId' in input && input.dealId !== undefined).toBe(false)
  })

  it('has no deal select when the customer’s deals are all closed', async () => {
    serve(() => null, [signed])
    await open()
    expect(byTestId('followup-deal')).toBeNull()
  })

  it('offers the customer’s open deals, optional, and sends the chosen one', async () => {
    const calls = serve((cmd) => (cmd === 'followups_add' ? followup({ dealId: 12 }) : null), [proposal, renewal, signed])
    await open()
    expect(byTestId('followup-deal-item')!.textContent).toContain('关联商机')
    expect(byTestId('followup-deal')!.textContent).toContain('不关联具体商机（可选）')
    const options = await openSelect('followup-deal')
    expect(options.map((o) => o.textContent)).toEqual(['CRM系统采购 · 30万 · 方案提交', '年度维保 · 1.5万 · 潜在客户'])
    options[1]!.click()
    await flushPromises()
    await typeInto('followup-content', '续约条款已确认')
    await clickTestId('followup-save')
    expect(calls.find(([cmd]) => cmd === 'followups_add')?.[1]).toMatchObject({ customerId: 42, input: { dealId: 12 } })
  })

  it('starts on the deal it was opened for', async () => {
    const calls = serve((cmd) => (cmd === 'followups_add' ? followup({ dealId: 11 }) : null), [proposal, renewal])
    await open({ dealId: 11 })
    expect(byTestId('followup-deal')!.textContent).toContain('CRM系统采购 · 30万 · 方案提交')
    await clickTestId('followup-save')
    expect(calls.find(([cmd]) => cmd === 'followups_add')?.[1]).toMatchObject({ input: { dealId: 11 } })
  })

  it('keeps an edited follow-up’s closed deal on offer, and clearing it unlinks the deal', async () => {
    const existing = followup({ id: 9, dealId: 13, content: '一期验收完成' })
    const calls = serve((cmd) => (cmd === 'followups_update' ? existing : null), [proposal, signed])
    await open({ followup: existing })
    expect(byTestId('followup-deal')!.textContent).toContain('一期实施 · 50万 · 成交')
    const options = await openSelect('followup-deal')
    expect(options.map((o) => o.textContent)).toEqual(['CRM系统采购 · 30万 · 方案提交', '一期实施 · 50万 · 成交'])
    byTestId('followup-deal')!.querySelector<HTMLElement>('.n-base-clear__clear')!.click()
    await flushPromises()
    await clickTestId('followup-save')
    const input = calls.find(([cmd]) => cmd === 'followups_update')![1].input as Record<string, unknown>
    expect(input.dealId).toBeUndefined()
  })

  it('reads in English', async () => {
    serve(() => null, [proposal])
    await open({}, 'en')
    expect(byTestId('followup-deal-item')!.textContent).toContain('About deal')
    expect(byTestId('followup-deal')!.textContent).toContain('Not about a particular deal (optional)')
    const options = await openSelect('followup-deal')
    expect(options.map((o) => o.textContent)).toEqual(['CRM系统采购 · 30万 · Proposal'])
  })
})
