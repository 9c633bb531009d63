import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type Language } from '../ipc'
import { useLockStore } from './lock'

/** The UI language lives in the ledger, so the CLI and the next start see the same choice
 *  (and, for the lock screen, in the lock settings). */
export const useSettingsStore = defineStore('settings', () => {
  const language = ref<Language>('zh-CN')

  async function load() {
    language.value = await api.getLanguage()
  }

  /** While locked the ledger cannot be written: the lock screen's choice is kept with the
   *  lock settings, which the shell also updates whenever the ledger's language changes. */
  async function setLanguage(next: Language) {
    const lock = useLockStore()
    if (lock.locked || lock.openError) await lock.setLanguage(next)
    else await api.setLanguage(next)
    language.value = next
  }

  return { language, load, setLanguage }
})
