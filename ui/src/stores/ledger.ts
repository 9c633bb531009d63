import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ledgerApi, onFailure, type LedgerStatus } from '../ipc'

/** How often the window asks whether the ledger's file is still there (a stat in the core). */
export const WATCH_EVERY_MS = 4000

/** Whether the ledger's file is still where it was opened: its folder may be deleted while the
 *  app runs, and then the warning with the ways to save the ledger must show on every page. */
export const useLedgerStore = defineStore('ledger', () => {
  const status = ref<LedgerStatus | null>(null)
  const gone = computed(() => status.value !== null && status.value.state !== 'present')

  async function refresh() {
    try {
      status.value = await ledgerApi.status()
    } catch {
      // Asked again on the next tick.
    }
  }

  let timer: ReturnType<typeof setInterval> | null = null
  let stopListening: (() => void) | null = null
  const onFocus = () => void refresh()

  function watch() {
    if (timer !== null) return
    // A refused save says so at once, without waiting for the next tick.
    stopListening = onFailure((err) => {
      if (err.code === 'DATA_FOLDER_GONE') void refresh()
    })
    timer = setInterval(refresh, WATCH_EVERY_MS)
    window.addEventListener('focus', onFocus)
    void refresh()
  }

  function unwatch() {
    if (timer !== null) clearInterval(timer)
    timer = null
    stopListening?.()
    stopListening = null
    window.removeEventListener('focus', onFocus)
  }

  return { status, gone, refresh, watch, unwatch }
})
