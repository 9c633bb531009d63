import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { NMessageProvider } from 'naive-ui'
import IndustriesCard from '../src/components/settings/IndustriesCard.vue'
import { makeI18n } from '../src/i18n'

const Host = defineComponent({ render: () => h(NMessageProvider, null, { default: () => h(IndustriesCard) }) })

const seed = [
  { code: 'MFG', name: '制造业', position: 1 },
  { code: 'IT', name: '信息技术', position: 2 },
]

type Handler = (cmd: string, args: Record<string, unknown>) => unknown
let calls: Array<[string, unknown]> = []

function backend(handle: Handler = () => null) {
  calls = []
  mockIPC((cmd, args) => {
    calls.push([cmd, args])
    if (cmd === 'industries_list') return seed
    return handle(cmd, args as Record<string, unknown>)
  })
}

async function mountCard(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const wrapper = mount(Host, { global: { plugins: [makeI18n(locale)] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

async function open(wrapper: Awaited<ReturnType<typeof mountCard>>, testid: string) {
  await wrapper.find(`[data-testid="${testid}"]`).trigger('click')
  await flushPromises()
}

/** Clicks the positive button of the open popconfirm. */
async function accept() {
  const buttons = document.querySelectorAll<HTMLButtonElement>('.n-popconfirm__action button')
  expect(buttons.length).toBeGreaterThan(0)
  buttons[buttons.length - 1].click()
  await flushPromises()
}

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

describe('IndustriesCard', () => {
  it('lists the industries from the core', async () => {
    backend()
    const wrapper = await mountCard()
    expect(calls[0]).toEqual(['industries_list', {}])
    expect(wrapper.find('[data-testid="industry-row-MFG"]').text()).toContain('制造业')
    expect(wrapper.find('[data-testid="industry-row-IT"]').text()).toContain('信息技术')
    wrapper.unmount()
  })

  it('adds an industry after the last one and shows it', async () => {
    backend((cmd, args) => (cmd === 'industries_save' ? { ...(args.industry as object), code: 'EDU' } : null))
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="industry-code-input"] input').setValue('edu')
    await wrapper.find('[data-testid="industry-name-input"] input').setValue('教育')
    await wrapper.find('[data-testid="industry-add"]').trigger('click')
    await flushPromises()
    expect(calls.at(-1)).toEqual(['industries_save', { industry: { code: 'edu', name: '教育', position: 3 } }])
    expect(wrapper.find('[data-testid="industry-row-EDU"]').text()).toContain('教育')
    expect((wrapper.find('[data-testid="industry-code-input"] input').element as HTMLInputElement).value).toBe('')
    wrapper.unmount()
  })

  it('shows the core’s field verdicts under the inputs', async () => {
    backend(() => {
      throw { code: 'VALIDATION', message: 'invalid input', fields: { code: 'code_invalid', name: 'required' } }
    })
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="industry-code-input"] input').setValue('X')
    await wrapper.find('[data-testid="industry-add"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="industry-error-code"]').text()).toBe('代码须为 2–8 位大写字母或数字')
    expect(wrapper.find('[data-testid="industry-error-name"]').text()).toBe('必填')
    wrapper.unmount()
  })

  it('refuses an existing code instead of silently renaming it', async () => {
    backend()
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="industry-code-input"] input').setValue('mfg')
    await wrapper.find('[data-testid="industry-name-input"] input').setValue('机械')
    await wrapper.find('[data-testid="industry-add"]').trigger('click')
    await flushPromises()
    expect(calls.map(([cmd]) => cmd)).not.toContain('industries_save')
    expect(wrapper.find('[data-testid="industry-error-code"]').text()).toBe('该代码已存在')
    wrapper.unmount()
  })

  it('renames in place, keeping code and position', async () => {
    backend((cmd, args) => (cmd === 'industries_save' ? args.industry : null))
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="industry-rename-IT"]').trigger('click')
    const input = wrapper.find('[data-testid="industry-name-edit-IT"] input')
    await input.setValue('软件与信息服务')
    await input.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(calls.at(-1)).toEqual(['industries_save', { industry: { code: 'IT', name: '软件与信息服务', position: 2 } }])
    expect(wrapper.find('[data-testid="industry-name-edit-IT"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="industry-row-IT"]').text()).toContain('软件与信息服务')
    wrapper.unmount()
  })

  it('asks before deleting, then removes the row', async () => {
    backend()
    const wrapper = await mountCard()
    await open(wrapper, 'industry-delete-IT')
    expect(calls.map(([cmd]) => cmd)).not.toContain('industries_delete')
    expect(document.body.textContent).toContain('删除行业「信息技术」？')
    await accept()
    expect(calls.at(-1)).toEqual(['industries_delete', { code: 'IT' }])
    expect(wrapper.find('[data-testid="industry-row-IT"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('says plainly that an industry in use cannot be deleted', async () => {
    backend((cmd) => {
      if (cmd === 'industries_delete') throw { code: 'CONFLICT', message: 'conflict', fields: { code: 'in_use' } }
      return null
    })
    const wrapper = await mountCard()
    await open(wrapper, 'industry-delete-MFG')
    await accept()
    expect(calls.at(-1)).toEqual(['industries_delete', { code: 'MFG' }])
    expect(document.body.textContent).toContain('该行业仍有客户使用，无法删除')
    expect(wrapper.find('[data-testid="industry-row-MFG"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('says it in English too', async () => {
    backend(() => {
      throw { code: 'CONFLICT', message: 'conflict', fields: { code: 'in_use' } }
    })
    const wrapper = await mountCard('en')
    await open(wrapper, 'industry-delete-MFG')
    await accept()
    expect(document.body.textContent).toContain('Customers still use this industry')
    wrapper.unmount()
  })
})
