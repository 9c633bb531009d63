import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import { backend, byTestId, clickTestId, mountWith, typeInto, type Call } from './support'
import { hasTag, rowsToText, splitAt, textToRows, toggleTag, type FilterRow } from '../src/filter'
import FilterBuilder from '../src/components/tags/FilterBuilder.vue'
import BulkTagDialog from '../src/components/tags/BulkTagDialog.vue'
import SegmentNav from '../src/components/tags/SegmentNav.vue'
import CustomerTagsCard from '../src/components/tags/CustomerTagsCard.vue'
import ValueScoreCard from '../src/components/tags/ValueScoreCard.vue'
import TagsCard from '../src/components/settings/TagsCard.vue'
import type { Segment, Tag, TagGroup } from '../src/ipc'

const groups: TagGroup[] = [
  { id: 1, code: 'grade', name: '客户等级' },
  { id: 2, code: 'needs', name: '需求标签' },
  { id: 5, code: 'behavior', name: '行为标签' },
]
const tags: Tag[] = [
  { id: 1, groupId: 1, name: '重点客户', color: '#d03050', auto: null, count: 1 },
  { id: 2, groupId: 2, name: '制造业', color: '#1d6fd8', auto: null, count: 3 },
  { id: 3, groupId: 5, name: '流失预警', color: '#e84040', auto: 'churn_risk', count: 2 },
]
const segments: Segment[] = [
  { id: 4, name: '制造业客户', filter: 'tag:制造业', count: 3, updatedAt: '2026-03-01T00:00:00Z' },
  { id: 5, name: '沉睡大客户', filter: 'tag:沉睡客户 AND amount>10万', count: 0, updatedAt: '2026-03-01T00:00:00Z' },
]

function row(over: Partial<FilterRow>): FilterRow {
  return { join: 'AND', not: false, key: 'tag', op: ':', value: '', ...over }
}

/** A filter error as the core sends it: the reason and the character offset. */
function filterError(code: string, at: number) {
  return Promise.reject({ code: 'VALIDATION', message: 'invalid', fields: { filter: code, 'filter.at': String(at) } })
}

function handle(extra: (cmd: string, args: Record<string, unknown>) => unknown = () => undefined) {
  return (cmd: string, args: Record<string, unknown>) => {
    const answer = extra(cmd, args)
    if (answer !== undefined) return answer
    switch (cmd) {
      case 'tag_groups_list': return groups
      case 'tags_list': return tags
      case 'segments_list': return segments
      case 'industries_list': return [{ code: 'MFG', name: '制造业', position: 1 }]
      case 'custom_fields_list': return []
      default: return null
    }
  }
}

const commands = (calls: Call[], name: string) => calls.filter(([cmd]) => cmd === name).map(([, args]) => args)

afterEach(() => {
  clearMocks()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('filter text', () => {
  it('rows become text: NOT per row, AND/OR joins, quoted values, empty rows left out', () => {
    const text = rowsToText([
      row({ value: '制造业' }),
      row({ not: true, key: 'name', value: '恒通' }),
      row({ join: 'OR', value: '重点 客户' }),
      row({ key: 'region', value: '' }),
      row({ key: 'last_followup', op: '>', value: '90d' }),
    ])
    expect(text).toBe('tag:制造业 AND NOT name:恒通 OR tag:"重点 客户" AND last_followup>90d')
  })

  it('flat text reads back into rows, in either language; brackets stay text', () => {
    expect(textToRows('标签:制造业 且 非 名称:华信 或 amount>=10万')).toEqual([
      row({ value: '制造业' }),
      row({ not: true, key: 'name', value: '华信' }),
      row({ join: 'OR', key: 'amount', op: '>=', value: '10万' }),
    ])
    expect(textToRows('tag:"重点 客户"')).toEqual([row({ value: '重点 客户' })])
    expect(textToRows('tag:a AND (tag:b OR tag:c)')).toBeNull()
    expect(textToRows('tag:a AND')).toBeNull()
    expect(textToRows('')).toEqual([])
  })

  it('a quick tag toggles its AND condition, also around a filter with OR', () => {
    expect(toggleTag('', '制造业')).toBe('tag:制造业')
    expect(toggleTag('region:上海', '制造业')).toBe('region:上海 AND tag:制造业')
    expect(toggleTag('region:上海 AND tag:制造业', '制造业')).toBe('region:上海')
    const wrapped = toggleTag('tag:a OR tag:b', '制造业')
    expect(wrapped).toBe('(tag:a OR tag:b) AND tag:制造业')
    expect(hasTag(wrapped, '制造业')).toBe(true)
    expect(toggleTag(wrapped, '制造业')).toBe('tag:a OR tag:b')
    expect(hasTag('tag:制造业 OR tag:b', '制造业')).toBe(false)
  })

  it('an error offset counts characters, not UTF-16 units', () => {
    expect(splitAt('标签:制造业 且 (名称', 9)).toEqual(['标签:制造业 且 ', '(', '名称'])
    expect(splitAt('tag:', 4)).toEqual(['tag:', ' ', ''])
  })
})

describe('filter builder', () => {
  it('sends the rows as text, shows the summary and applies the canonical filter', async () => {
    const calls = backend(handle((cmd, args) =>
      cmd === 'filter_describe' ? { filter: String(args.filter), summary: `读作：${String(args.filter)}` } : undefined))
    const applied: string[] = []
    const { wrapper } = await mountWith(FilterBuilder, { filter: 'tag:制造业', onApply: (f: string) => applied.push(f) })
    await new Promise((r) => setTimeout(r, 250))
    await flushPromises()
    expect(byTestId('filter-summary')?.textContent).toContain('读作：tag:制造业')

    await clickTestId('filter-add-row')
    await clickTestId('filter-not-1')
    // The second row's key stays 标签; its value comes from the tag select.
    const select = wrapper.findAllComponents({ name: 'Select' }).find((s) => s.attributes('data-testid') === 'filter-value-1')
    select!.vm.$emit('update:value', '流失预警')
    await new Promise((r) => setTimeout(r, 250))
    await flushPromises()
    expect(commands(calls, 'filter_describe').at(-1)).toEqual({ filter: 'tag:制造业 AND NOT tag:流失预警' })
    expect(byTestId('filter-summary')?.textContent).toContain('读作：tag:制造业 AND NOT tag:流失预警')
    await clickTestId('filter-apply')
    expect(applied).toEqual(['tag:制造业 AND NOT tag:流失预警'])
    wrapper.unmount()
  })

  it('in text mode an error is translated and its character marked', async () => {
    backend(handle((cmd, args) => {
      if (cmd !== 'filter_describe') return undefined
      return String(args.filter).includes('(') ? filterError('unclosed_paren', 9) : { filter: String(args.filter), summary: 'ok' }
    }))
    const { wrapper } = await mountWith(FilterBuilder, { filter: '' })
    const toggle = wrapper.findAllComponents({ name: 'Switch' })[0]
    toggle.vm.$emit('update:value', true)
    await flushPromises()
    await typeInto('filter-text', '标签:制造业 且 (名称:恒通')
    await new Promise((r) => setTimeout(r, 250))
    await flushPromises()
    expect(byTestId('filter-error')?.textContent).toBe('第 10 个字符处：括号没有闭合')
    expect(byTestId('filter-error-char')?.textContent).toBe('(')
    expect(byTestId('filter-apply')?.hasAttribute('disabled')).toBe(true)
    expect(byTestId('filter-summary')).toBeNull()
    wrapper.unmount()
  })

  it('the error reads in English too, and a bracketed filter cannot go back to rows', async () => {
    backend(handle((cmd) => (cmd === 'filter_describe' ? filterError('unknown_tag', 4) : undefined)))
    const { wrapper } = await mountWith(FilterBuilder, { filter: 'tag:a AND (tag:b OR tag:c)' }, 'en')
    await new Promise((r) => setTimeout(r, 250))
    await flushPromises()
    expect(byTestId('filter-text')).not.toBeNull()
    expect(byTestId('filter-error')?.textContent).toBe('At character 5: no such tag')
    wrapper.findAllComponents({ name: 'Switch' })[0].vm.$emit('update:value', false)
    await flushPromises()
    expect(byTestId('filter-notice')?.textContent).toContain('advanced mode')
    wrapper.unmount()
  })
})

describe('bulk tagging', () => {
  it('says how many customers and hands back the chosen tags', async () => {
    backend(handle())
    const confirmed: number[][] = []
    const { wrapper } = await mountWith(BulkTagDialog, { show: true, mode: 'add', whole: true, count: 57, onConfirm: (ids: number[]) => confirmed.push(ids) })
    const store = (await import('../src/stores/tags')).useTagsStore()
    await store.load()
    await flushPromises()
    expect(byTestId('bulk-tag-count')?.textContent).toBe('将给 57 位客户加上所选标签。')
    expect(byTestId('bulk-tag-confirm')?.hasAttribute('disabled')).toBe(true)
    wrapper.findAllComponents({ name: 'Select' })[0].vm.$emit('update:value', [2, 1])
    await flushPromises()
    await clickTestId('bulk-tag-confirm')
    expect(confirmed).toEqual([[2, 1]])
    wrapper.unmount()
  })
})

describe('sidebar segments', () => {
  it('lists segments with live counts, opens one as the list and deletes after asking', async () => {
    const calls = backend(handle())
    const { wrapper, router } = await mountWith(SegmentNav)
    expect(byTestId('segment-count-4')?.textContent).toBe('3')
    expect(byTestId('segment-count-5')?.textContent).toBe('0')
    await clickTestId('segment-4')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/customers?segment=4')
    expect(byTestId('segment-4')?.classList.contains('active')).toBe(true)

    const dropdown = wrapper.findAllComponents({ name: 'Dropdown' })[1]
    dropdown.vm.$emit('select', 'delete')
    await flushPromises()
    expect(document.querySelector('.n-dialog')?.textContent).toContain('确定删除分群「沉睡大客户」？')
    const ok = [...document.querySelectorAll<HTMLButtonElement>('.n-dialog button')].find((b) => b.textContent?.includes('删除分群'))
    ok!.click()
    await flushPromises()
    expect(commands(calls, 'segment_delete')).toEqual([{ id: 5 }])
    wrapper.unmount()
  })

  it('renames through the small menu', async () => {
    const calls = backend(handle())
    const { wrapper } = await mountWith(SegmentNav)
    wrapper.findAllComponents({ name: 'Dropdown' })[0].vm.$emit('select', 'rename')
    await flushPromises()
    await typeInto('segment-rename-input', '重点制造业')
    await clickTestId('segment-rename-confirm')
    expect(commands(calls, 'segment_rename')).toEqual([{ id: 4, name: '重点制造业' }])
    wrapper.unmount()
  })
})

describe('customer tags and score', () => {
  it('shows the tags with the automatic one marked, adds and removes', async () => {
    const calls = backend(handle((cmd) => (cmd === 'customer_tags' ? [[2, false], [3, true]] : cmd === 'customers_tag' ? 1 : undefined)))
    const { wrapper } = await mountWith(CustomerTagsCard, { customerId: 42 })
    const chips = byTestId('customer-tags')!
    expect(chips.textContent).toContain('制造业')
    expect(byTestId('tag-chip-3')?.textContent).toContain('流失预警自动')
    // A rule's link is the rule's to take away; a hand-set one has a close button.
    expect(byTestId('tag-chip-3')?.querySelector('.n-base-close')).toBeNull()
    expect(byTestId('tag-chip-2')?.querySelector('.n-base-close')).not.toBeNull()

    wrapper.findAllComponents({ name: 'Select' })[0].vm.$emit('update:value', 1)
    await flushPromises()
    await clickTestId('customer-tag-add')
    expect(commands(calls, 'customers_tag')).toEqual([{ target: { kind: 'selection', ids: [42] }, add: [1], remove: [] }])
    byTestId('tag-chip-2')!.querySelector<HTMLElement>('.n-base-close')!.click()
    await flushPromises()
    expect(commands(calls, 'customers_tag')[1]).toEqual({ target: { kind: 'selection', ids: [42] }, add: [], remove: [2] })
    wrapper.unmount()
  })

  it('breaks the score down by factor and says what drives it', async () => {
    backend(handle((cmd) => cmd === 'customer_score'
      ? { score: 63, recencyDays: 3, r: 5, f: 3, m: 3, touches: 4, wonFen: 20_000_000, engagement: 50, funnel: 0, points: [30, 10, 13, 5, 0] }
      : undefined))
    const { wrapper } = await mountWith(ValueScoreCard, { customerId: 42 })
    expect(byTestId('value-score')?.textContent).toBe('63')
    expect(byTestId('score-recency')?.textContent).toContain('30/30')
    expect(byTestId('score-recency')?.textContent).toContain('3 天前联系')
    expect(byTestId('score-monetary')?.textContent).toContain('已成交 ¥200,000')
    expect(byTestId('value-score-explain')?.textContent).toBe('分数主要来自「最近联系」；推进商机阶段会提高分数。')
    expect(byTestId('value-score-fall')).toBeNull()
    wrapper.unmount()
  })

  it('says when a sharp fall of the score is why the customer is 流失预警', async () => {
    backend(handle((cmd) => cmd === 'customer_score'
      ? { score: 35, recencyDays: 0, r: 5, f: 2, m: 1, touches: 1, wonFen: 0, engagement: 0, funnel: 0, points: [30, 5, 0, 0, 0], fellFrom: 75 }
      : undefined))
    const { wrapper } = await mountWith(ValueScoreCard, { customerId: 42 })
    expect(byTestId('value-score-fall')?.textContent?.trim()).toBe('比近期高点 75 分下降了 40 分，已标为「流失预警」。')
    wrapper.unmount()
  })
})

describe('settings: tags card', () => {
  it('lists groups with tags, counts and the automatic badge; delete asks with the count', async () => {
    const calls = backend(handle())
    const { wrapper } = await mountWith(TagsCard)
    expect(byTestId('tag-group-2')?.textContent).toContain('需求标签')
    expect(byTestId('tag-count-2')?.textContent).toBe('3 位客户')
    expect(byTestId('tag-row-3')?.querySelector('[data-testid="tag-auto-badge"]')).not.toBeNull()
    expect(byTestId('tag-delete-3')).toBeNull()

    await clickTestId('tag-delete-2')
    expect(document.querySelector('.n-dialog')?.textContent).toContain('3 位客户正在使用，确定删除？')
    const ok = [...document.querySelectorAll<HTMLButtonElement>('.n-dialog button')].find((b) => b.textContent?.trim() === '删除')
    ok!.click()
    await flushPromises()
    expect(commands(calls, 'tag_delete')).toEqual([{ id: 2 }])
    wrapper.unmount()
  })

  it('adds a tag to a group, shows a name error, renames and merges', async () => {
    const calls = backend(handle((cmd, args) => {
      if (cmd === 'tag_add' && String(args.name).includes('(')) return Promise.reject({ code: 'VALIDATION', message: 'x', fields: { name: 'name_invalid' } })
      return undefined
    }))
    const { wrapper } = await mountWith(TagsCard)
    wrapper.findAllComponents({ name: 'Select' }).find((s) => s.attributes('data-testid') === 'tag-new-group')!.vm.$emit('update:value', 2)
    await typeInto('tag-new-name', '设备(旧)')
    await clickTestId('tag-add')
    expect(byTestId('tag-new-error')?.textContent).toBe('名称不能含括号或引号')
    await typeInto('tag-new-name', '软件')
    await clickTestId('tag-add')
    expect(commands(calls, 'tag_add').at(-1)).toEqual({ name: '软件', group: '2', color: '#1d6fd8' })

    await typeInto('tag-name-1', '大客户')
    expect(commands(calls, 'tag_update')).toEqual([{ id: 1, name: '大客户', groupId: 1, color: '#d03050' }])

    await clickTestId('tag-merge-1')
    wrapper.findAllComponents({ name: 'Select' }).find((s) => s.attributes('data-testid') === 'tag-merge-into')!.vm.$emit('update:value', 2)
    await flushPromises()
    await clickTestId('tag-merge-confirm')
    expect(commands(calls, 'tag_merge')).toEqual([{ from: 1, into: 2 }])
    wrapper.unmount()
  })
})
