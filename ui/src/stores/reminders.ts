import { defineStore } from 'pinia'
import { ref } from 'vue'

/** Bumped whenever reminders may have changed (one fell due, was snoozed, done, or a follow-up
 * was logged), so every list that shows them reloads. */
export const useRemindersStore = defineStore('reminders', () => {
  const version = ref(0)
  function changed() {
    version.value++
  }
  return { version, changed }
})
