import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type Customer } from '../ipc'

const PAGE_SIZE = 100

/** The customer list, fetched a page at a time from the core: never the whole table. */
export const useCustomersStore = defineStore('customers', () => {
  const items = ref<Customer[]>([])
  const total = ref(0)
  const nextCursor = ref<number | null>(null)
  const loading = ref(false)
  const loaded = ref(false)

  async function loadFirst() {
    loading.value = true
    try {
      const page = await api.listCustomers({ limit: PAGE_SIZE })
      items.value = page.items
      total.value = page.total
      nextCursor.value = page.nextCursor
      loaded.value = true
    } finally {
      loading.value = false
    }
  }

  async function loadMore() {
    if (loading.value || nextCursor.value === null) return
    loading.value = true
    try {
      const page = await api.listCustomers({ limit: PAGE_SIZE, after: nextCursor.value })
      items.value = items.value.concat(page.items)
      total.value = page.total
      nextCursor.value = page.nextCursor
    } finally {
      loading.value = false
    }
  }

  /** A customer just saved goes to the top without refetching the page. */
  function prepend(customer: Customer) {
    items.value = [customer, ...items.value]
    total.value += 1
  }

  return { items, total, nextCursor, loading, loaded, loadFirst, loadMore, prepend }
})
