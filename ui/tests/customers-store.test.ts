import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { clearMocks } from '@tauri-apps/api/mocks'
import { backend } from './support'
import { useCustomersStore } from '../src/stores/customers'

function row(id: number) {
  return {
    id, number: `2026-MFG-${String(id).padStart(3, '0')}`, kind: 'org', name: `客户${id}`, industry: null, region: null,
    source: null, owner: null, grade: null, stage: null, phone: null, contactName: null, email: null, custom: {},
    tagIds: [], valueScore: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', deletedAt: null,
  }
}

/** A count the test answers when it chooses, as a slow count over many matches would. */
function pending() {
  let answer: (n: number) => void = () => undefined
  const promise = new Promise<number>((resolve) => (answer = resolve))
  return { promise, answer }
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => clearMocks())

describe('the customer list asks for its rows and its count apart', () => {
  it('shows the rows before a slow count answers, then the count', async () => {
    const count = pending()
    const calls = backend((cmd) => {
      if (cmd === 'customers_list') return { items: [row(1), row(2)], total: null, nextCursor: 'next' }
      if (cmd === 'customers_count') return count.promise
    })
    const store = useCustomersStore()
    store.search = '恒达'
    const reload = store.reload()
    await flushPromises()

    expect(store.items.map((c) => c.id)).toEqual([1, 2])
    expect(store.loading).toBe(false)
    expect(store.counting).toBe(true)
    expect(store.total).toBe(0)

    count.answer(83288)
    await reload
    expect(store.total).toBe(83288)
    expect(store.counting).toBe(false)

    // Both ask the same question; the rows' request does not count as well.
    const [list, counted] = [calls.find(([c]) => c === 'customers_list')!, calls.find(([c]) => c === 'customers_count')!]
    expect(list[1].query).toMatchObject({ search: '恒达', withTotal: false, limit: 100 })
    expect(counted[1].query).toEqual(list[1].query)
    // The rows leave first.
    expect(calls.findIndex(([c]) => c === 'customers_list')).toBeLessThan(calls.findIndex(([c]) => c === 'customers_count'))
  })

  it('drops a count that answers after a newer search', async () => {
    const first = pending()
    const second = pending()
    const counts = [first, second]
    backend((cmd, args) => {
      const search = (args.query as { search?: string }).search
      if (cmd === 'customers_list') return { items: search === 'b' ? [row(2)] : [row(1)], total: null, nextCursor: null }
      if (cmd === 'customers_count') return counts.shift()!.promise
    })
    const store = useCustomersStore()
    store.search = 'a'
    const older = store.reload()
    store.search = 'b'
    const newer = store.reload()
    second.answer(1)
    await newer
    first.answer(500)
    await older
    await flushPromises()

    expect(store.items.map((c) => c.id)).toEqual([2])
    expect(store.total).toBe(1)
    expect(store.counting).toBe(false)
  })

  it('a failed count is an error of the reload, with the rows kept', async () => {
    backend((cmd) => {
      if (cmd === 'customers_list') return { items: [row(1)], total: null, nextCursor: null }
      if (cmd === 'customers_count') return Promise.reject({ code: 'BUSY', message: 'locked', fields: {} })
    })
    const store = useCustomersStore()
    await expect(store.reload()).rejects.toMatchObject({ code: 'BUSY' })
    expect(store.items.map((c) => c.id)).toEqual([1])
    expect(store.counting).toBe(false)
  })

  it('a failed page is an error of the reload even while its count is still running', async () => {
    const count = pending()
    backend((cmd) => {
      if (cmd === 'customers_list') return Promise.reject({ code: 'DATA_FOLDER_GONE', message: 'gone', fields: {} })
      if (cmd === 'customers_count') return count.promise
    })
    const store = useCustomersStore()
    await expect(store.reload()).rejects.toMatchObject({ code: 'DATA_FOLDER_GONE' })
    expect(store.loading).toBe(false)
    count.answer(3)
    await flushPromises()
    expect(store.total).toBe(3)
  })
})
