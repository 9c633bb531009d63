import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import CustomerForm from '../src/components/CustomerForm.vue'
import { makeI18n } from '../src/i18n'

afterEach(() => clearMocks())

function mountForm(locale: 'zh-CN' | 'en' = 'zh-CN') {
  return mount(CustomerForm, { global: { plugins: [makeI18n(locale)] }, attachTo: document.body })
}

async function fill(wrapper: ReturnType<typeof mountForm>, testid: string, value: string) {
  await wrapper.find(`[data-testid="${testid}"] input`).setValue(value)
}

describe('CustomerForm', () => {
  it('shows the core’s phone verdict inline, in Chinese, and emits nothing', async () => {
    const sent: unknown[] = []
    mockIPC((cmd, args) => {
      sent.push(args)
      throw { code: 'VALIDATION', message: 'invalid input: phone: phone_invalid', fields: { phone: 'phone_invalid' } }
    })
    const wrapper = mountForm()
    await fill(wrapper, 'customer-name', '华信科技')
    await fill(wrapper, 'customer-phone', '12345')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(sent).toEqual([{ input: { name: '华信科技', phone: '12345', industry: '' } }])
    expect(wrapper.find('[data-testid="error-phone"]').text()).toBe('请输入有效的中国大陆手机号（11 位，以 1 开头）')
    expect(wrapper.emitted('saved')).toBeUndefined()

    await fill(wrapper, 'customer-phone', '13912345678')
    expect(wrapper.find('[data-testid="error-phone"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('speaks English when the UI does', async () => {
    mockIPC(() => {
      throw { code: 'VALIDATION', message: 'invalid input', fields: { name: 'required' } }
    })
    const wrapper = mountForm('en')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="error-name"]').text()).toBe('Required')
    wrapper.unmount()
  })

  it('emits the saved customer', async () => {
    const customer = {
      id: 1, uid: 'u', name: '李四', phone: '13912345678', industry: null,
      createdAt: '2026-03-01T01:30:00Z', updatedAt: '2026-03-01T01:30:00Z',
    }
    mockIPC(() => customer)
    const wrapper = mountForm()
    await fill(wrapper, 'customer-name', '李四')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.emitted('saved')).toEqual([[customer]])
    wrapper.unmount()
  })

  it('shows a banner for errors that belong to no field', async () => {
    mockIPC(() => {
      throw { code: 'BUSY', message: 'database is locked', fields: {} }
    })
    const wrapper = mountForm()
    await fill(wrapper, 'customer-name', '李四')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="form-failure"]').text()).toBe('数据库正被其他程序占用，请稍后重试')
    wrapper.unmount()
  })
})
