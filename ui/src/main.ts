import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { makeI18n } from './i18n'
import { makeRouter } from './router'
import { useSettingsStore } from './stores/settings'
import { useStartupStore } from './stores/startup'
import { useLockStore } from './stores/lock'
import './style.css'

async function start() {
  const app = createApp(App)
  const pinia = createPinia()
  app.use(pinia)
  const settings = useSettingsStore()
  const lock = useLockStore()
  // An encrypted ledger waits for its password: only the lock screen shows, and nothing is
  // asked of the ledger until it is unlocked (the window then reloads). A ledger that could not
  // be opened shows why, and likewise nothing else.
  await lock.load().catch(() => undefined)
  if (lock.locked || lock.openError) {
    settings.language = lock.settings.language
  } else {
    // The language is read before the first paint so the UI never flashes the wrong one.
    await settings.load().catch(() => undefined)
    // A damaged ledger found at start-up shows the recovery screen instead of the pages.
    await useStartupStore().load().catch(() => undefined)
  }
  app.use(makeI18n(settings.language))
  app.use(makeRouter())
  app.mount('#app')
}

void start()
