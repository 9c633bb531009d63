import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NMessageProvider } from 'naive-ui'
import RecycleBinPage from '../src/pages/RecycleBinPage.vue'
import { makeI18n } from '../src/i18n'

const Host = defineComponent({ render: () => h(NMessageProvider, null, { default: () => h(RecycleBinPage) }) })

function row(id: number, name: string) {
  return {
    id, number: `2024-MFG-00${id}`, kind: 'org', name, industry: null, region: null, source: null, owner: null,
    grade: null, stage: null, phone: '13912345678', contactName: null, email: null, custom: {},
    createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-03-01T01:30:00Z', deletedAt: '2026-03-01T01:30:00Z',
  }
}

const firstQuery = {
  limit: 100, scope: 'deleted', withTotal: true, filters: { industry: [], custom: {} }, sort: { field: 'updated', desc: true },
}

type Handler = (cmd: string, args: Record<string, unknown>) => unknown
let calls: Array<[string, unknown]> = []

function backend(items: unknown[], handle: Handler = () => null, nextCursor: string | null = null) {
  calls = []
  mockIPC((cmd, args) => {
    calls.push([cmd, args])
    if (cmd === 'customers_list') {
      const query = (args as { query: { cursor?: string } }).query
      return query.cursor
        ? { items: [row(9, '第二页客户')], total: null, nextCursor: null }
        : { items, total: nextCursor ? items.length + 1 : items.length, nextCursor }
    }
    return handle(cmd, args as Record<string, unknown>)
  })
}

async function mountPage(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/customers', name: 'customers', component: { render: () => null } },
      { path: '/customers/bin', name: 'bin', component: RecycleBinPage },
    ],
  })
  await router.push('/customers/bin')
  const wrapper = mount(Host, { global: { plugins: [makeI18n(locale), router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

const names = (wrapper: ReturnType<typeof mount>) =>
  wrapper.findAll('[data-testid="bin-row-name"]').map((n) => n.text())

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

describe('RecycleBinPage', () => {
  it('lists the deleted customers, newest first, with the count', async () => {
    backend([row(1, '华信科技'), row(2, '李四')])
    const { wrapper } = await mountPage()
    expect(calls[0]).toEqual(['customers_list', { query: firstQuery }])
    expect(wrapper.find('[data-testid="page-title"]').text()).toBe('回收站')
    expect(wrapper.find('[data-testid="bin-count"]').text()).toBe('共 2 位已删除客户')
    expect(names(wrapper)).toEqual(['华信科技', '李四'])
    expect(wrapper.text()).toContain('2024-MFG-001')
    expect(wrapper.text()).toContain('139 1234 5678')
    expect(wrapper.find('[data-testid="bin-empty"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('says when the bin is empty', async () => {
    backend([])
    const { wrapper } = await mountPage()
    expect(wrapper.find('[data-testid="bin-empty"]').text()).toContain('回收站是空的')
    wrapper.unmount()
  })

  it('restores a customer, drops the row and says so', async () => {
    backend([row(1, '华信科技'), row(2, '李四')], (cmd) => (cmd === 'customers_restore' ? row(1, '华信科技') : null))
    const { wrapper } = await mountPage()
    await wrapper.find('[data-testid="bin-restore-1"]').trigger('click')
    await flushPromises()
    expect(calls.at(-1)).toEqual(['customers_restore', { id: 1 }])
    expect(names(wrapper)).toEqual(['李四'])
    expect(wrapper.find('[data-testid="bin-count"]').text()).toBe('共 1 位已删除客户')
    expect(document.body.textContent).toContain('已恢复客户：华信科技')
    wrapper.unmount()
  })

  it('asks before purging, warns it cannot be undone, then purges', async () => {
    backend([row(1, '华信科技'), row(2, '李四')])
    const { wrapper } = await mountPage()
    await wrapper.find('[data-testid="bin-purge-2"]').trigger('click')
    await flushPromises()
    expect(calls.map(([cmd]) => cmd)).not.toContain('customers_purge')
    expect(document.body.textContent).toContain('彻底删除「李四」？此操作无法撤销')
    const buttons = document.querySelectorAll<HTMLButtonElement>('.n-popconfirm__action button')
    buttons[buttons.length - 1].click()
    await flushPromises()
    expect(calls.at(-1)).toEqual(['customers_purge', { id: 2 }])
    expect(names(wrapper)).toEqual(['华信科技'])
    wrapper.unmount()
  })

  it('keeps the row and shows the error when the core refuses', async () => {
    backend([row(1, '华信科技')], () => {
      throw { code: 'BUSY', message: 'database is locked', fields: {} }
    })
    const { wrapper } = await mountPage()
    await wrapper.find('[data-testid="bin-restore-1"]').trigger('click')
    await flushPromises()
    expect(names(wrapper)).toEqual(['华信科技'])
    expect(document.body.textContent).toContain('数据库正被其他程序占用，请稍后重试')
    wrapper.unmount()
  })

  it('loads the next page on scroll with the cursor', async () => {
    backend([row(1, '华信科技')], () => null, 'c1')
    const { wrapper } = await mountPage()
    await wrapper.find('.n-data-table-base-table-body .n-scrollbar-container').trigger('scroll')
    await flushPromises()
    expect(calls.at(-1)).toEqual(['customers_list', { query: { ...firstQuery, withTotal: false, cursor: 'c1' } }])
    expect(names(wrapper)).toEqual(['华信科技', '第二页客户'])
    wrapper.unmount()
  })

  it('goes back to the customer list', async () => {
    backend([])
    const { wrapper, router } = await mountPage('en')
    expect(wrapper.find('[data-testid="bin-back"]').text()).toBe('Back to customers')
    await wrapper.find('[data-testid="bin-back"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('customers')
    wrapper.unmount()
  })
})
