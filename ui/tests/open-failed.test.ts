import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import OpenFailedScreen from '../src/components/lock/OpenFailedScreen.vue'
import { useLockStore, windowReload } from '../src/stores/lock'
import { backend, byTestId, clickTestId, mountWith, type Handler } from './support'

const failedState = {
  locked: false,
  encrypted: false,
  settings: { idleMinutes: 15, language: 'zh-CN' },
  openError: { code: 'READ_ONLY', message: 'the folder /data cannot be written: unable to open database file', fields: {} },
}

let reloads: ReturnType<typeof vi.fn>
beforeEach(() => {
  reloads = vi.fn()
  windowReload.run = reloads as unknown as () => void
})

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

async function mountFailed(handle: Handler, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const calls = backend((cmd, args) => (cmd === 'lock_state' ? failedState : handle(cmd, args)))
  const mounted = await mountWith(OpenFailedScreen, {}, locale)
  await useLockStore().load()
  await new Promise((resolve) => setTimeout(resolve))
  return { ...mounted, calls }
}

describe('OpenFailedScreen', () => {
  it('says why the ledger cannot be opened, by its code, with the detail kept aside', async () => {
    const { wrapper } = await mountFailed(() => null)
    expect(byTestId('page-title')?.textContent).toBe('无法打开账本')
    expect(byTestId('open-failed-reason')?.textContent).toMatch(/^无法写入：数据文件或所在的文件夹是只读的/)
    expect(byTestId('open-failed-detail')?.textContent).toBe(failedState.openError.message)
    wrapper.unmount()
  })

  it('in English', async () => {
    const { wrapper } = await mountFailed(() => null, 'en')
    expect(byTestId('page-title')?.textContent).toBe('The ledger cannot be opened')
    expect(byTestId('open-failed-reason')?.textContent).toMatch(/^Cannot write: the data file or its folder is read-only/)
    wrapper.unmount()
  })

  it('重试 that opens the ledger reloads the window', async () => {
    const { calls, wrapper } = await mountFailed(() => null)
    await clickTestId('open-failed-retry')
    expect(calls.some(([c]) => c === 'ledger_open_again')).toBe(true)
    expect(reloads).toHaveBeenCalledOnce()
    wrapper.unmount()
  })

  it('重试 that fails again shows the new reason and stays', async () => {
    const { wrapper } = await mountFailed((cmd) => {
      if (cmd === 'ledger_open_again') throw { code: 'BUSY', message: 'database is locked', fields: {} }
      return null
    })
    await clickTestId('open-failed-retry')
    expect(reloads).not.toHaveBeenCalled()
    expect(byTestId('open-failed-again')?.textContent).toBe('仍然无法打开，原因见上。')
    expect(byTestId('open-failed-reason')?.textContent).toBe('数据库正被其他程序占用，请稍后重试')
    wrapper.unmount()
  })

  it('退出 asks the shell to end the app', async () => {
    const { calls, wrapper } = await mountFailed(() => null)
    await clickTestId('open-failed-quit')
    expect(calls.some(([c]) => c === 'app_quit')).toBe(true)
    wrapper.unmount()
  })
})
