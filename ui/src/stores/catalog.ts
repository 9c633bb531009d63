import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type CustomField, type Industry } from '../ipc'

/** The user-managed lists every customer screen needs: industries and custom fields. */
export const useCatalogStore = defineStore('catalog', () => {
  const industries = ref<Industry[]>([])
  const fields = ref<CustomField[]>([])
  const loaded = ref(false)

  async function load() {
    const [i, f] = await Promise.all([api.listIndustries(), api.listCustomFields()])
    industries.value = i
    fields.value = f
    loaded.value = true
  }

  async function ensure() {
    if (!loaded.value) await load()
  }

  return { industries, fields, loaded, load, ensure }
})
