import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type Language } from '../ipc'

/** The UI language lives in the ledger, so the CLI and the next start see the same choice. */
export const useSettingsStore = defineStore('settings', () => {
  const language = ref<Language>('zh-CN')

  async function load() {
    language.value = await api.getLanguage()
  }

  async function setLanguage(next: Language) {
    await api.setLanguage(next)
    language.value = next
  }

  return { language, load, setLanguage }
})
