import { defineStore } from 'pinia'
import { ref } from 'vue'
import { backupApi, type Recovery } from '../ipc'

/** What the shell found at start-up: a damaged ledger kept aside, until the user decides. */
export const useStartupStore = defineStore('startup', () => {
  const recovery = ref<Recovery | null>(null)

  async function load() {
    recovery.value = await backupApi.startupState()
  }

  async function dismiss() {
    await backupApi.dismissRecovery()
    recovery.value = null
  }

  return { recovery, load, dismiss }
})
