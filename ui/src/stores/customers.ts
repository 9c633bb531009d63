import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type CustomerRow, type ListQuery } from '../ipc'
import type { CustomerSort } from '../bindings/CustomerSort'

const PAGE_SIZE = 100

/** The customer list, fetched a page at a time from the core: never the whole table. */
export const useCustomersStore = defineStore('customers', () => {
  const items = ref<CustomerRow[]>([])
  const total = ref(0)
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  const loaded = ref(false)
  const search = ref('')
  const industries = ref<string[]>([])
  /** The filter language text (tags, fields, AND/OR/NOT); empty for none. */
  const filter = ref('')
  const sort = ref<CustomerSort>({ field: 'updated', desc: true })
  // Answers to an older query are dropped: typing fast must not show stale rows.
  let generation = 0

  /** The query behind the list as it stands: what bulk tagging and the export apply to. */
  function query(cursor: string | null): ListQuery {
    return {
      limit: PAGE_SIZE,
      cursor: cursor ?? undefined,
      // Counting walks every match: only the first page asks for it.
      withTotal: cursor === null,
      search: search.value.trim() || undefined,
      filter: filter.value.trim() || undefined,
      filters: { industry: industries.value, custom: {} },
      sort: sort.value,
      scope: 'live',
    }
  }

  async function reload() {
    const mine = ++generation
    loading.value = true
    try {
      const page = await api.listCustomers(query(null))
      if (mine !== generation) return
      items.value = page.items
      total.value = page.total ?? page.items.length
      nextCursor.value = page.nextCursor
      loaded.value = true
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  async function loadMore() {
    if (loading.value || nextCursor.value === null) return
    const mine = generation
    loading.value = true
    try {
      const page = await api.listCustomers(query(nextCursor.value))
      if (mine !== generation) return
      items.value = items.value.concat(page.items)
      nextCursor.value = page.nextCursor
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  return { items, total, nextCursor, loading, loaded, search, industries, filter, sort, query, reload, loadMore }
})
