import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import BackupCard from '../src/components/settings/BackupCard.vue'
import { backend, byTestId, clickTestId, mountWith, type Handler } from './support'

const folder = '/data/cn.yiben.crm/backups'
const backups = [
  { kind: 'manual', at: '2026-03-02T02:05:00.123Z', size: 1536, path: `${folder}/yiben-20260302T020500.123Z-manual.db` },
  { kind: 'pre-restore', at: '2026-03-01T09:00:00Z', size: 5 * 1024 * 1024, path: `${folder}/yiben-20260301T090000.000Z-pre-restore.db` },
  { kind: 'daily', at: '2026-03-01T01:00:00Z', size: 900, path: `${folder}/yiben-20260301T010000.000Z-daily.db` },
]
const report = {
  ok: true, integrity: ['ok'], foreignKeys: [],
  searchIndex: { ok: true, liveCustomers: 12, searchRows: 12, gramRows: 12, missing: [], extra: [], stale: [], fts: 'ok' },
}

function withList(handle: Handler = () => null): Handler {
  return (cmd, args) => (cmd === 'backups_list' ? backups : handle(cmd, args))
}

const rows = () => Array.from(document.querySelectorAll('[data-testid^="backup-row-"]')).map((r) => r.textContent)
const said = () => document.body.textContent ?? ''

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

describe('BackupCard', () => {
  it('lists the backups newest first with their kind and size, in both languages', async () => {
    backend(withList())
    const { wrapper } = await mountWith(BackupCard)
    const zh = rows()
    expect(zh).toHaveLength(3)
    expect(zh[0]).toContain('手动')
    expect(zh[0]).toContain('1.5 KB')
    expect(zh[1]).toContain('恢复前')
    expect(zh[1]).toContain('5.0 MB')
    expect(zh[2]).toContain('每日自动')
    expect(zh[2]).toContain('900 B')
    // Shown in the machine's zone, as formatDateTime does everywhere.
    expect(zh[0]).toMatch(/2026\/03\/0[12]/)
    wrapper.unmount()

    backend(withList())
    const en = await mountWith(BackupCard, {}, 'en')
    expect(rows()[1]).toContain('Before restore')
    expect(byTestId('backup-now')?.textContent).toContain('Back up now')
    en.wrapper.unmount()
  })

  it('says so when there is none', async () => {
    backend(() => [])
    const { wrapper } = await mountWith(BackupCard)
    expect(byTestId('backups-empty')?.textContent).toBe('还没有备份')
    wrapper.unmount()
  })

  it('backs up now into the folder, then lists again and tells the log', async () => {
    const made = backups[0]
    const calls = backend(withList((cmd) => (cmd === 'backup_now' ? made : null)))
    const { wrapper } = await mountWith(BackupCard)
    await clickTestId('backup-now')
    expect(calls.map(([c]) => c)).toEqual(['backups_list', 'backup_now', 'backups_list'])
    expect(said()).toContain('已备份（1.5 KB）')
    const card = wrapper.findComponent(BackupCard)
    expect(card.emitted('changed')).toHaveLength(1)
    wrapper.unmount()
  })

  it('backs up to the file chosen in the save dialog, and does nothing when it is cancelled', async () => {
    let chosen: string | null = '/home/me/下载/我的备份.db'
    const calls = backend(
      withList((cmd, args) => {
        if (cmd === 'reports_save_path') return chosen
        if (cmd === 'backup_to_file') return { ...backups[0], path: args.path }
        return null
      }),
    )
    const { wrapper } = await mountWith(BackupCard)
    await clickTestId('backup-to-file')
    const dialog = calls.find(([c]) => c === 'reports_save_path')![1]
    expect(dialog.suggested).toMatch(/^一本账备份-\d{8}-\d{4}\.db$/)
    expect(dialog.extension).toBe('db')
    expect(calls.find(([c]) => c === 'backup_to_file')![1]).toEqual({ path: '/home/me/下载/我的备份.db' })
    expect(said()).toContain('已备份到 /home/me/下载/我的备份.db')

    chosen = null
    calls.length = 0
    await clickTestId('backup-to-file')
    expect(calls.map(([c]) => c)).toEqual(['reports_save_path'])
    wrapper.unmount()
  })

  it('restores a picked file only after a confirmation that says the ledger is backed up first', async () => {
    const calls = backend(withList((cmd) => (cmd === 'restore_pick_path' ? '/home/me/下载/旧账本.db' : null)))
    const { wrapper } = await mountWith(BackupCard)
    await clickTestId('backup-restore-file')
    expect(calls.map(([c]) => c)).not.toContain('backup_restore')
    expect(byTestId('restore-confirm-file')?.textContent).toBe('将用所选备份替换当前账本：旧账本.db')
    expect(byTestId('restore-confirm-safety')?.textContent).toContain('恢复前会先自动备份当前账本')
    await clickTestId('restore-confirm-ok')
    expect(calls.find(([c]) => c === 'backup_restore')![1]).toEqual({ path: '/home/me/下载/旧账本.db' })
    wrapper.unmount()
  })

  it('restores a listed backup, and a cancelled confirmation restores nothing', async () => {
    const calls = backend(withList())
    const { wrapper } = await mountWith(BackupCard)
    await clickTestId('backup-restore-2')
    expect(byTestId('restore-confirm-file')?.textContent).toContain('yiben-20260301T010000.000Z-daily.db')
    await clickTestId('restore-confirm-cancel')
    expect(calls.map(([c]) => c)).not.toContain('backup_restore')
    await clickTestId('backup-restore-0')
    await clickTestId('restore-confirm-ok')
    expect(calls.find(([c]) => c === 'backup_restore')![1]).toEqual({ path: backups[0].path })
    wrapper.unmount()
  })

  it.each([
    ['NOT_A_DATABASE', '所选文件不是一本账的数据库，未做任何更改', 'The chosen file is not a Yiben database; nothing was changed'],
    ['BACKUP_CORRUPT', '备份文件已损坏，无法恢复；当前数据未做任何更改（page 3 is never used）', 'The backup is damaged and cannot be restored'],
    ['BACKUP_TOO_NEW', '该备份由更新版本的一本账创建，请先升级应用再恢复', 'made by a newer version of Yiben'],
  ])('a refused file (%s) is named in the user’s language and the ledger stays open', async (code, zh, en) => {
    for (const [locale, sentence] of [['zh-CN', zh], ['en', en]] as const) {
      const calls = backend(
        withList((cmd) => {
          if (cmd === 'restore_pick_path') return '/tmp/x.db'
          if (cmd === 'backup_restore') throw { code, message: 'page 3 is never used', fields: {} }
          if (cmd === 'ledger_is_open') return true
          return null
        }),
      )
      const { wrapper } = await mountWith(BackupCard, {}, locale)
      await clickTestId('backup-restore-file')
      await clickTestId('restore-confirm-ok')
      await flushPromises()
      expect(said()).toContain(sentence)
      expect(byTestId('reopen-dialog')).toBeNull()
      expect(calls.map(([c]) => c)).toContain('ledger_is_open')
      wrapper.unmount()
      document.body.innerHTML = ''
    }
  })

  it('after BUSY the closed ledger is reopened by a restart', async () => {
    const calls = backend(
      withList((cmd) => {
        if (cmd === 'backup_restore') throw { code: 'BUSY', message: 'busy', fields: {} }
        if (cmd === 'ledger_is_open') return false
        return null
      }),
    )
    const { wrapper } = await mountWith(BackupCard)
    await clickTestId('backup-restore-0')
    await clickTestId('restore-confirm-ok')
    await flushPromises()
    expect(said()).toContain('数据库正被其他程序占用')
    expect(byTestId('reopen-dialog')?.textContent).toContain('账本没有被替换')
    await clickTestId('reopen-ledger')
    expect(calls.map(([c]) => c)).toContain('app_restart')
    wrapper.unmount()
  })

  it('a backup onto the ledger itself is named by its field reason', async () => {
    backend(
      withList((cmd) => {
        if (cmd === 'reports_save_path') return '/data/cn.yiben.crm/yiben.db'
        if (cmd === 'backup_to_file') throw { code: 'VALIDATION', message: 'invalid', fields: { out: 'same_as_ledger' } }
        return null
      }),
    )
    const { wrapper } = await mountWith(BackupCard, {}, 'en')
    await clickTestId('backup-to-file')
    expect(said()).toContain('Cannot be the ledger file that is in use')
    wrapper.unmount()
  })

  it('checks the integrity and shows the verdict, or each problem', async () => {
    let answer: unknown = report
    backend(withList((cmd) => (cmd === 'ledger_check' ? answer : null)))
    const { wrapper } = await mountWith(BackupCard)
    await clickTestId('ledger-check')
    expect(byTestId('check-result')?.textContent).toBe('检查通过：数据库完好，12 个客户的搜索索引一致')
    expect(byTestId('check-result')?.classList.contains('ok')).toBe(true)

    answer = {
      ok: false, integrity: ['row 4 missing from index idx_customers_phone'], foreignKeys: [{ table: 'deals', rowid: 9, parent: 'customers' }],
      searchIndex: { ...report.searchIndex, ok: false, missing: [3, 4], stale: [7], fts: 'ok' },
    }
    await clickTestId('ledger-check')
    const text = byTestId('check-result')?.textContent ?? ''
    expect(text).toContain('发现问题')
    expect(text).toContain('数据库文件：row 4 missing from index idx_customers_phone')
    expect(text).toContain('关联缺失：1 处')
    expect(text).toContain('搜索索引：缺少 2，多余 0，过期 1')
    expect(text).toContain('建议从最近的备份恢复。')
    expect(text).not.toContain('全文索引')
    wrapper.unmount()
  })
})
