import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import { backend, byTestId, clickTestId, mountWith, typeInto } from './support'
import CustomerFilterBar from '../src/components/deals/CustomerFilterBar.vue'
import type { Segment, Tag } from '../src/ipc'

const tags: Tag[] = [
  { id: 1, groupId: 1, name: '高价值客户', color: '#d03050', auto: null, count: 4 },
  { id: 2, groupId: 2, name: '制造业', color: '#1d6fd8', auto: null, count: 9 },
  { id: 3, groupId: 5, name: '沉睡客户', color: '#5c6370', auto: 'dormant', count: 0 },
]
const segments: Segment[] = [{ id: 7, name: '重点客户', filter: 'tag:高价值客户 OR tag:制造业', count: 12, updatedAt: '2026-03-01T00:00:00Z' }]

function serve() {
  return backend((cmd, args) => {
    switch (cmd) {
      case 'tag_groups_list': return []
      case 'tags_list': return tags
      case 'segments_list': return segments
      case 'filter_describe': {
        const filter = String(args.filter)
        if (filter.includes('不存在')) return Promise.reject({ code: 'VALIDATION', message: 'invalid', fields: { filter: 'unknown_tag', 'filter.at': '0' } })
        return { filter, summary: `说明：${filter}` }
      }
      default: return null
    }
  })
}

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

describe('deals: customer filter bar', () => {
  it('a quick tag chip narrows to that tag, the most used first, unused tags left out', async () => {
    serve()
    const { wrapper } = await mountWith(CustomerFilterBar, { filter: '' })
    const chips = [...document.querySelectorAll('[data-testid^="deals-quick-tag-"]')].map((c) => c.getAttribute('data-testid'))
    expect(chips).toEqual(['deals-quick-tag-2', 'deals-quick-tag-1'])
    await clickTestId('deals-quick-tag-2')
    expect(wrapper.findComponent(CustomerFilterBar).emitted('update:filter')).toEqual([['tag:制造业']])
    wrapper.unmount()
  })

  it('a segment hands on its filter; typed text is checked first and a mistake stays here', async () => {
    const calls = serve()
    const { wrapper } = await mountWith(CustomerFilterBar, { filter: '' })
    byTestId('deals-filter-segment')!.querySelector<HTMLElement>('.n-base-selection')!.click()
    await new Promise((r) => setTimeout(r, 50))
    const option = [...document.querySelectorAll<HTMLElement>('.n-base-select-option')].find((o) => o.textContent === '重点客户')
    option!.click()
    await flushPromises()
    const bar = wrapper.findComponent(CustomerFilterBar)
    expect(bar.emitted('update:filter')).toEqual([['tag:高价值客户 OR tag:制造业']])

    await typeInto('deals-filter-text', 'tag:不存在')
    byTestId('deals-filter-text')!.querySelector('input')!.dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', bubbles: true }))
    await flushPromises()
    expect(byTestId('deals-filter-error')!.textContent).toBe('没有这个标签')
    expect(bar.emitted('update:filter')).toHaveLength(1)
    expect(calls.filter(([cmd]) => cmd === 'filter_describe').map(([, a]) => a.filter)).toContain('tag:不存在')
    wrapper.unmount()
  })

  it('reads in English', async () => {
    serve()
    const { wrapper } = await mountWith(CustomerFilterBar, { filter: '' }, 'en')
    expect(byTestId('deals-customer-filter')!.textContent).toContain('Customers')
    wrapper.unmount()
  })
})
