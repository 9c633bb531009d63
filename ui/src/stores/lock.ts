import { defineStore } from 'pinia'
import { ref } from 'vue'
import { lockApi, type ErrorBody, type Language, type LockSettings } from '../ipc'
import { idleExpired } from '../lock-text'

/** How often the idle time is looked at; the lock comes at most this late. */
export const IDLE_CHECK_MS = 1000
const INPUT_EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const

/** Reloading the window after a lock or an unlock drops every page's data and starts the
 *  window afresh on the new state; replaced in the tests. */
export const windowReload = { run: () => window.location.reload() }

/** The app lock: whether the ledger waits for its password, the lock's settings, 锁定 and
 *  the idle timer measured from the last key press or mouse move in the window. */
export const useLockStore = defineStore('lock', () => {
  const locked = ref(false)
  const encrypted = ref(false)
  const settings = ref<LockSettings>({ idleMinutes: 15, language: 'zh-CN' })
  /** Why the ledger could not be opened at start-up; the window then offers only to try again. */
  const openError = ref<ErrorBody | null>(null)

  async function load() {
    const state = await lockApi.state()
    locked.value = state.locked
    encrypted.value = state.encrypted
    settings.value = state.settings
    openError.value = state.openError
  }

  async function openAgain() {
    await lockApi.openAgain()
    windowReload.run()
  }

  const quit = () => lockApi.quit()

  async function unlock(password: string) {
    await lockApi.unlock(password)
    windowReload.run()
  }

  async function lock() {
    await lockApi.lock()
    windowReload.run()
  }

  async function save(next: LockSettings) {
    await lockApi.setSettings(next)
    settings.value = next
  }

  const setIdleMinutes = (idleMinutes: number) => save({ ...settings.value, idleMinutes })
  const setLanguage = (language: Language) => save({ ...settings.value, language })

  /** Work under way that must not be cut by the idle lock (a re-encryption). */
  let held = 0
  /** Holds the idle lock off until the returned function is called; the idle time then
   *  starts again. */
  function hold(): () => void {
    held += 1
    return () => {
      held -= 1
      lastInput = Date.now()
    }
  }

  let lastInput = Date.now()
  let timer: ReturnType<typeof setInterval> | null = null
  let stopListening: (() => void) | null = null
  const onInput = () => {
    lastInput = Date.now()
  }

  /** Starts the idle timer and listens for a lock made elsewhere (the tray's 锁定). */
  function watch() {
    if (timer !== null) return
    lastInput = Date.now()
    for (const name of INPUT_EVENTS) window.addEventListener(name, onInput, { passive: true, capture: true })
    timer = setInterval(() => {
      if (held === 0 && encrypted.value && !locked.value && idleExpired(lastInput, Date.now(), settings.value.idleMinutes)) {
        locked.value = true
        void lock().catch(() => {
          locked.value = false
          lastInput = Date.now()
        })
      }
    }, IDLE_CHECK_MS)
    void lockApi
      .onLocked(() => windowReload.run())
      .then((stop) => {
        stopListening = stop
      })
      .catch(() => undefined)
  }

  function unwatch() {
    if (timer !== null) clearInterval(timer)
    timer = null
    for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true })
    stopListening?.()
    stopListening = null
  }

  return { locked, encrypted, settings, openError, load, unlock, lock, openAgain, quit, setIdleMinutes, setLanguage, hold, watch, unwatch }
})
