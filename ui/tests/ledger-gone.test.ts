import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import LedgerGoneBanner from '../src/components/LedgerGoneBanner.vue'
import { AppError, api } from '../src/ipc'
import { errorText, makeI18n } from '../src/i18n'
import { auditDetails } from '../src/backup-text'
import { backend, byTestId, clickTestId, mountWith } from './support'

const folder = '/home/li/.local/share/cn.yiben.crm'
const missing = { state: 'missing', path: `${folder}/yiben.db`, folder }
const present = { ...missing, state: 'present' }

async function mountBanner(handle: (cmd: string, args: Record<string, unknown>) => unknown, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const calls = backend(handle)
  const mounted = await mountWith(LedgerGoneBanner, {}, locale)
  await flushPromises()
  return { ...mounted, calls }
}

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

describe('machine faults', () => {
  it('each has a sentence that says what happened and what to do, in both languages', () => {
    type Translate = (k: string, n?: Record<string, unknown>) => string
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const zh = { t: (makeI18n('zh-CN').global as any).t as Translate }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const en = { t: (makeI18n('en').global as any).t as Translate }
    expect(errorText(zh.t, new AppError('DISK_FULL', 'database or disk is full'))).toBe('磁盘空间已满：请清理磁盘后重试，未保存的更改没有写入。')
    expect(errorText(en.t, new AppError('DISK_FULL', 'x'))).toBe('The disk is full: free some space and try again. The unsaved change was not written.')
    expect(errorText(zh.t, new AppError('READ_ONLY', 'x'))).toMatch(/^无法写入：数据文件或所在的文件夹是只读的/)
    expect(errorText(en.t, new AppError('READ_ONLY', 'x'))).toMatch(/^Cannot write: the data file or its folder is read-only/)
    expect(errorText(zh.t, new AppError('DATA_FOLDER_GONE', 'x'))).toMatch(/^数据文件夹已被删除或移走，为防止数据丢失已暂停保存/)
    expect(errorText(en.t, new AppError('DATA_FOLDER_GONE', 'x'))).toMatch(/^The data folder was deleted or moved, so saving is paused/)
  })
})

describe('the write-back in the audit log', () => {
  it('reads as facts, not raw keys', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const g = makeI18n('zh-CN').global as any
    const t = g.t as (k: string, n?: Record<string, unknown>) => string
    const has = g.te as (k: string) => boolean
    const entry = {
      id: 1, at: '2026-03-01T01:30:00Z', action: 'backup_restore' as const, entity: null, entityId: null,
      details: { rescue: true, file: `${folder}/yiben.db`, size: 40960, displaced: `${folder}/yiben.db.displaced-20260301T013000.000Z` },
    }
    expect(auditDetails(entry, t, has)).toBe(`文件夹被删后写回 是 · 文件 yiben.db · 大小 40 KB · 移到一旁的文件 ${folder}/yiben.db.displaced-20260301T013000.000Z`)
  })
})

describe('LedgerGoneBanner', () => {
  it('shows nothing while the ledger is in place', async () => {
    const { wrapper, calls } = await mountBanner((cmd) => (cmd === 'ledger_status' ? present : null))
    expect(calls.map(([c]) => c)).toContain('ledger_status')
    expect(byTestId('ledger-gone')).toBeNull()
    wrapper.unmount()
  })

  it('appears as soon as any call is refused with DATA_FOLDER_GONE', async () => {
    let state = present
    const { wrapper } = await mountBanner((cmd) => {
      if (cmd === 'ledger_status') return state
      if (cmd === 'customers_add') throw { code: 'DATA_FOLDER_GONE', message: 'gone', fields: {} }
      return null
    })
    expect(byTestId('ledger-gone')).toBeNull()
    state = missing
    await expect(api.addCustomer({ name: '华信', contacts: [], custom: {} })).rejects.toMatchObject({ code: 'DATA_FOLDER_GONE' })
    await flushPromises()
    expect(byTestId('ledger-gone-title')?.textContent).toBe('数据文件夹已被删除')
    expect(byTestId('ledger-gone-body')?.textContent).toContain(`账本所在的文件夹 ${folder} 在一本账运行时被删除或移走了`)
    expect(document.body.textContent).toContain('保存好之前请不要退出一本账')
    wrapper.unmount()
  })

  it('saves the open ledger where the save dialog says, and keeps warning', async () => {
    const saved = '/home/li/Downloads/一本账-20260301-0930.db'
    const { wrapper, calls } = await mountBanner((cmd) => {
      if (cmd === 'ledger_status') return missing
      if (cmd === 'reports_save_path') return saved
      if (cmd === 'ledger_rescue_to') return { kind: 'manual', at: '2026-03-01T01:30:00Z', size: 40960, path: saved }
      return null
    })
    await clickTestId('ledger-rescue-to')
    const dialog = calls.find(([c]) => c === 'reports_save_path')![1]
    expect(dialog.suggested).toMatch(/^一本账-\d{8}-\d{4}\.db$/)
    expect(dialog.filter).toBe('一本账数据库')
    expect(calls.find(([c]) => c === 'ledger_rescue_to')![1]).toEqual({ path: saved })
    expect(byTestId('ledger-rescued-path')?.textContent).toBe(`账本已另存到 ${saved}`)
    expect(byTestId('ledger-gone')).not.toBeNull()
    wrapper.unmount()
  })

  it('a cancelled save dialog writes nothing', async () => {
    const { wrapper, calls } = await mountBanner((cmd) => (cmd === 'ledger_status' ? missing : null))
    await clickTestId('ledger-rescue-to')
    expect(calls.map(([c]) => c)).not.toContain('ledger_rescue_to')
    expect(byTestId('ledger-rescued-path')).toBeNull()
    wrapper.unmount()
  })

  it('in English: a replaced file is named, and a refused write-back is said', async () => {
    const { wrapper, calls } = await mountBanner((cmd) => {
      if (cmd === 'ledger_status') return { ...missing, state: 'replaced' }
      if (cmd === 'ledger_rescue_in_place') throw { code: 'DISK_FULL', message: 'database or disk is full', fields: {} }
      return null
    }, 'en')
    expect(byTestId('ledger-gone-title')?.textContent).toBe('The ledger file was replaced by another file')
    expect(byTestId('ledger-gone-body')?.textContent).toContain(`${folder}/yiben.db is now another file`)
    await clickTestId('ledger-rescue-in-place')
    expect(calls.map(([c]) => c)).toContain('ledger_rescue_in_place')
    expect(document.body.textContent).toContain('The disk is full: free some space and try again.')
    expect(byTestId('ledger-rescue-in-place')?.hasAttribute('disabled')).toBe(false)
    wrapper.unmount()
  })
})
