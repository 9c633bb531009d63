import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { NDynamicTags, NMessageProvider, NSelect } from 'naive-ui'
import CustomFieldsCard from '../src/components/settings/CustomFieldsCard.vue'
import { makeI18n } from '../src/i18n'

const Host = defineComponent({ render: () => h(NMessageProvider, null, { default: () => h(CustomFieldsCard) }) })

const seed = [
  { id: 1, key: 'cf_1', label: '合同编号', kind: 'text', options: [], position: 1, inList: false },
  { id: 2, key: 'cf_2', label: '客户等级', kind: 'single', options: ['A', 'B'], position: 2, inList: true },
]

type Handler = (cmd: string, args: Record<string, unknown>) => unknown
let calls: Array<[string, unknown]> = []

function backend(handle: Handler = () => null) {
  calls = []
  mockIPC((cmd, args) => {
    calls.push([cmd, args])
    if (cmd === 'custom_fields_list') return seed
    return handle(cmd, args as Record<string, unknown>)
  })
}

async function mountCard(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const wrapper = mount(Host, { global: { plugins: [makeI18n(locale)] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

type Wrapper = Awaited<ReturnType<typeof mountCard>>

async function chooseKind(wrapper: Wrapper, kind: string) {
  wrapper.findComponent(NSelect).vm.$emit('update:value', kind)
  await flushPromises()
}

const lastCall = () => calls.at(-1)

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

describe('CustomFieldsCard', () => {
  it('lists fields with their kind in words, options and list switch', async () => {
    backend()
    const wrapper = await mountCard()
    const row = wrapper.find('[data-testid="field-row-cf_2"]')
    expect(row.text()).toContain('客户等级')
    expect(row.text()).toContain('单选')
    expect(row.text()).toContain('A、B')
    expect(wrapper.find('[data-testid="field-inlist-cf_2"]').attributes('aria-checked')).toBe('true')
    expect(wrapper.find('[data-testid="field-kind-cf_1"]').text()).toBe('文本')
    wrapper.unmount()
  })

  it('asks for options only for single and multiple choice', async () => {
    backend()
    const wrapper = await mountCard()
    const options = () => wrapper.find('[data-testid="field-options-input"]').exists()
    expect(options()).toBe(false)
    for (const [kind, shown] of [['number', false], ['single', true], ['date', false], ['multi', true], ['money', false]] as const) {
      await chooseKind(wrapper, kind)
      expect(options(), kind).toBe(shown)
    }
    wrapper.unmount()
  })

  it('creates a multiple-choice field with its options and list setting', async () => {
    backend((cmd, args) =>
      cmd === 'custom_fields_create'
        ? { id: 3, key: 'cf_3', position: 3, ...(args.input as object) }
        : null,
    )
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="field-label-input"] input').setValue('关注产品')
    await chooseKind(wrapper, 'multi')
    wrapper.findComponent(NDynamicTags).vm.$emit('update:value', ['ERP', 'CRM'])
    await wrapper.find('[data-testid="field-inlist-switch"]').trigger('click')
    await wrapper.find('[data-testid="field-add"]').trigger('click')
    await flushPromises()
    expect(lastCall()).toEqual([
      'custom_fields_create',
      { input: { label: '关注产品', kind: 'multi', options: ['ERP', 'CRM'], inList: true } },
    ])
    const row = wrapper.find('[data-testid="field-row-cf_3"]')
    expect(row.text()).toContain('多选')
    expect(row.text()).toContain('ERP、CRM')
    expect(wrapper.find('[data-testid="field-options-input"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('does not send options left over from a choice kind', async () => {
    backend((cmd, args) => (cmd === 'custom_fields_create' ? { id: 3, key: 'cf_3', position: 3, ...(args.input as object) } : null))
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="field-label-input"] input').setValue('签约日期')
    await chooseKind(wrapper, 'single')
    wrapper.findComponent(NDynamicTags).vm.$emit('update:value', ['X'])
    await chooseKind(wrapper, 'date')
    await wrapper.find('[data-testid="field-add"]').trigger('click')
    await flushPromises()
    expect(lastCall()).toEqual([
      'custom_fields_create',
      { input: { label: '签约日期', kind: 'date', options: [], inList: false } },
    ])
    wrapper.unmount()
  })

  it('shows the core’s verdicts next to label and options', async () => {
    backend(() => {
      throw { code: 'VALIDATION', message: 'invalid input', fields: { label: 'required', options: 'required' } }
    })
    const wrapper = await mountCard()
    await chooseKind(wrapper, 'single')
    await wrapper.find('[data-testid="field-add"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="field-error-label"]').text()).toBe('必填')
    expect(wrapper.find('[data-testid="field-error-options"]').text()).toBe('必填')
    wrapper.unmount()
  })

  it('says when a label is taken', async () => {
    backend(() => {
      throw { code: 'CONFLICT', message: 'conflict', fields: { label: 'taken' } }
    })
    const wrapper = await mountCard('en')
    await wrapper.find('[data-testid="field-label-input"] input').setValue('合同编号')
    await wrapper.find('[data-testid="field-add"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="field-error-label"]').text()).toBe('Already taken')
    wrapper.unmount()
  })

  it('edits label and options but keeps the kind read-only', async () => {
    backend((cmd, args) => (cmd === 'custom_fields_update' ? { ...seed[1], ...(args.input as object) } : null))
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="field-edit-cf_2"]').trigger('click')
    const row = wrapper.find('[data-testid="field-row-cf_2"]')
    expect(row.findComponent(NSelect).exists()).toBe(false)
    expect(row.text()).toContain('单选')
    await wrapper.find('[data-testid="field-edit-label-cf_2"] input').setValue('客户分级')
    row.findComponent(NDynamicTags).vm.$emit('update:value', ['A', 'B', 'C'])
    await wrapper.find('[data-testid="field-save-cf_2"]').trigger('click')
    await flushPromises()
    expect(lastCall()).toEqual([
      'custom_fields_update',
      { id: 2, input: { label: '客户分级', kind: 'single', options: ['A', 'B', 'C'], inList: true } },
    ])
    expect(wrapper.find('[data-testid="field-edit-label-cf_2"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="field-row-cf_2"]').text()).toContain('A、B、C')
    wrapper.unmount()
  })

  it('keeps the editor open with the verdict when the label is too long', async () => {
    backend(() => {
      throw { code: 'VALIDATION', message: 'invalid input', fields: { label: 'too_long' } }
    })
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="field-edit-cf_1"]').trigger('click')
    await wrapper.find('[data-testid="field-edit-label-cf_1"] input').setValue('很长'.repeat(20))
    await wrapper.find('[data-testid="field-save-cf_1"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="field-edit-error-label"]').text()).toBe('内容过长')
    expect(wrapper.find('[data-testid="field-edit-label-cf_1"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('saves the list switch at once', async () => {
    backend((cmd, args) => (cmd === 'custom_fields_update' ? { ...seed[0], ...(args.input as object) } : null))
    const wrapper = await mountCard()
    await wrapper.find('[data-testid="field-inlist-cf_1"]').trigger('click')
    await flushPromises()
    expect(lastCall()).toEqual([
      'custom_fields_update',
      { id: 1, input: { label: '合同编号', kind: 'text', options: [], inList: true } },
    ])
    expect(wrapper.find('[data-testid="field-inlist-cf_1"]').attributes('aria-checked')).toBe('true')
    wrapper.unmount()
  })
})
