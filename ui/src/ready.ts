import { nextTick } from 'vue'
import { api } from './ipc'

let reported = false

/** Tells the shell, once, that the first page's data is on screen (the start-up benchmark
 * reads that moment). Whichever page the app opens on calls it. */
export async function reportReady() {
  if (reported) return
  reported = true
  await nextTick()
  void api.uiReady().catch(() => undefined)
}
