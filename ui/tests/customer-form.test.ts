import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import CustomerForm from '../src/components/CustomerForm.vue'
import { makeI18n } from '../src/i18n'
import type { Customer } from '../src/ipc'

afterEach(() => clearMocks())

const saved: Customer = {
  id: 1, uid: 'u', number: '2026-MFG-001', kind: 'org', name: '李四', industryCode: null, industry: null,
  employees: null, revenueFen: null, region: null, address: null, source: null, firstContact: null, owner: null,
  grade: null, stage: null, needs: null, notes: null, phone: '13912345678', email: null, contacts: [], custom: {},
  createdAt: '2026-03-01T01:30:00Z', updatedAt: '2026-03-01T01:30:00Z', deletedAt: null, mergedInto: null,
  lastFollowupAt: null, nextAction: null, nextActionAt: null,
}

/** Answers the catalog look-ups and hands customers_add to `add`. */
function backend(add: (args: Record<string, unknown>) => unknown) {
  const calls: Record<string, unknown>[] = []
  mockIPC((cmd, args) => {
    if (cmd === 'industries_list') return [{ code: 'MFG', name: '制造业', position: 1 }]
    if (cmd === 'custom_fields_list') return []
    calls.push(args as Record<string, unknown>)
    return add(args as Record<string, unknown>)
  })
  return calls
}

function mountForm(locale: 'zh-CN' | 'en' = 'zh-CN') {
  return mount(CustomerForm, { global: { plugins: [makeI18n(locale), createPinia()] }, attachTo: document.body })
}

async function fill(wrapper: ReturnType<typeof mountForm>, testid: string, value: string) {
  await wrapper.find(`[data-testid="${testid}"] input`).setValue(value)
}

async function submit(wrapper: ReturnType<typeof mountForm>) {
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

describe('CustomerForm', () => {
  it('shows the core’s phone verdict inline, in Chinese, and emits nothing', async () => {
    const calls = backend(() => {
      throw { code: 'VALIDATION', message: 'invalid input', fields: { phone: 'phone_invalid' } }
    })
    const wrapper = mountForm()
    await fill(wrapper, 'customer-name', '华信科技')
    await fill(wrapper, 'customer-phone', '12345')
    await submit(wrapper)
    expect(calls[0]).toMatchObject({ input: { name: '华信科技', phone: '12345', contacts: [] }, allowDuplicate: false })
    expect(wrapper.find('[data-testid="error-phone"]').text()).toBe('请输入有效的电话：11 位手机号，或区号-号码（如 010-12345678）')
    expect(wrapper.emitted('saved')).toBeUndefined()
    wrapper.unmount()
  })

  it('sends contacts with their phones split, and marks a bad contact phone on that contact', async () => {
    const calls = backend(() => {
      throw { code: 'VALIDATION', message: 'invalid', fields: { 'contacts.0.phones.1': 'phone_invalid' } }
    })
    const wrapper = mountForm('en')
    await fill(wrapper, 'customer-name', 'Huaxin')
    await wrapper.find('[data-testid="add-contact"]').trigger('click')
    await fill(wrapper, 'contact-0-name', '张三')
    await fill(wrapper, 'contact-0-phones', '139 1234 5678，010-123')
    await submit(wrapper)
    const input = calls[0].input as { contacts: { name: string; phones: string[] }[] }
    expect(input.contacts[0].name).toBe('张三')
    // Spaces inside a number are typing, not a separator.
    expect(input.contacts[0].phones).toEqual(['139 1234 5678', '010-123'])
    expect(wrapper.find('[data-testid="error-contact-0-phones"]').text()).toContain('Enter a valid phone')
    wrapper.unmount()
  })

  it('shows possible duplicates and saves anyway only when asked', async () => {
    const calls = backend((args) =>
      args.allowDuplicate
        ? { status: 'saved', customer: saved }
        : {
            status: 'duplicates',
            matches: [{
              customer: { ...saved, id: 7, name: '李四贸易', contactName: null, deletedAt: null },
              reasons: [{ kind: 'phone', value: '13912345678' }],
              certain: true,
            }],
          },
    )
    const wrapper = mountForm()
    await fill(wrapper, 'customer-name', '李四')
    await fill(wrapper, 'customer-phone', '13912345678')
    await submit(wrapper)
    expect(wrapper.find('[data-testid="duplicates"]').text()).toContain('李四贸易')
    expect(wrapper.find('[data-testid="duplicates"]').text()).toContain('电话相同')
    expect(wrapper.emitted('saved')).toBeUndefined()

    await wrapper.find('[data-testid="duplicate-open-7"]').trigger('click')
    expect(wrapper.emitted('openExisting')).toEqual([[7]])

    await wrapper.find('[data-testid="duplicate-keep-both"]').trigger('click')
    await flushPromises()
    expect(calls.map((c) => c.allowDuplicate)).toEqual([false, true])
    expect(wrapper.emitted('saved')).toEqual([[saved]])
    wrapper.unmount()
  })

  it('shows a banner for errors that belong to no field', async () => {
    backend(() => {
      throw { code: 'BUSY', message: 'database is locked', fields: {} }
    })
    const wrapper = mountForm()
    await fill(wrapper, 'customer-name', '李四')
    await submit(wrapper)
    expect(wrapper.find('[data-testid="form-failure"]').text()).toBe('数据库正被其他程序占用，请稍后重试')
    wrapper.unmount()
  })
})
