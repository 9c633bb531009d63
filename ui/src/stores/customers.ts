import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { api, type CustomerRow, type ListQuery } from '../ipc'
import type { CustomerSort } from '../bindings/CustomerSort'

const PAGE_SIZE = 100

/** The customer list, fetched a page at a time from the core: never the whole table. */
export const useCustomersStore = defineStore('customers', () => {
  // Rows are replaced, never changed in place: no deep proxies for the table to read through.
  const items = shallowRef<CustomerRow[]>([])
  const total = ref(0)
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  /** The count is asked apart from the rows and may arrive after them. */
  const counting = ref(false)
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
      // Counting walks every match: it is asked on its own (see reload).
      withTotal: false,
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
    counting.value = true
    const first = query(null)
    // Rows and count are two requests answered in parallel: the rows show as soon as they
    // come, while a count over many matches (a two-character search) still runs.
    const rows = api.listCustomers(first)
    const counted = api
      .countCustomers(first)
      .then((n) => {
        if (mine === generation) total.value = n
      })
      .finally(() => {
        if (mine === generation) counting.value = false
      })
    // Marked handled: when the rows fail or are stale, nobody awaits the count.
    counted.catch(() => undefined)
    try {
      const page = await rows
      if (mine !== generation) return
      items.value = page.items
      nextCursor.value = page.nextCursor
      loaded.value = true
    } finally {
      if (mine === generation) loading.value = false
    }
    await counted
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

  return { items, total, nextCursor, loading, counting, loaded, search, industries, filter, sort, query, reload, loadMore }
})
