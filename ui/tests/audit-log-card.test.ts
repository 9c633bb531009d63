import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import { NDatePicker, NSelect } from 'naive-ui'
import AuditLogCard from '../src/components/settings/AuditLogCard.vue'
import { backend, byTestId, clickTestId, mountWith, typeInto } from './support'

function entry(id: number, action: string, details: Record<string, unknown>, entity: string | null = null, entityId: string | null = null) {
  return { id, at: '2026-03-02T02:05:00Z', action, entity, entityId, details }
}

const page1 = [
  entry(9, 'backup_restore', { file: '/home/me/下载/旧账本.db', preRestoreBackup: '/data/backups/yiben-20260302T020500.000Z-pre-restore.db' }),
  entry(8, 'backup_create', { kind: 'manual', path: '/data/backups/yiben-20260302T020000.000Z-manual.db', size: 2048 }, 'backup', 'manual'),
  entry(7, 'settings_change', { value: true }, 'setting', 'mask_lists'),
  entry(6, 'import', { file: '客户.xlsx', sheet: null, imported: 8, merged: 1, skipped: 0, rejected: 2 }, 'import', '3'),
]
const page2 = [entry(2, 'customer_delete', { name: '旧客户' }, 'customer', '41')]

const rowTexts = () => Array.from(document.querySelectorAll('[data-testid^="audit-row-"]')).map((r) => r.textContent)

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
  vi.useRealTimers()
})

describe('AuditLogCard', () => {
  it('shows the newest page with each action translated and its details as labelled facts', async () => {
    const calls = backend((cmd, args) => {
      const q = args.query as { cursor: number | null }
      return q.cursor === null ? { items: page1, nextCursor: 6 } : { items: page2, nextCursor: null }
    })
    const { wrapper } = await mountWith(AuditLogCard)
    expect(calls[0]).toEqual(['audit_list', { query: { action: null, from: null, to: null, text: null, cursor: null, limit: 50 } }])
    const rows = rowTexts()
    expect(rows[0]).toContain('恢复备份')
    expect(rows[0]).toContain('文件 旧账本.db · 恢复前备份 yiben-20260302T020500.000Z-pre-restore.db')
    expect(rows[1]).toContain('备份')
    expect(rows[1]).toContain('类型 手动 · 文件 yiben-20260302T020000.000Z-manual.db · 大小 2.0 KB')
    expect(rows[2]).toContain('更改设置')
    expect(rows[2]).toContain('设置项 mask_lists · 新值 是')
    expect(rows[3]).toContain('文件 客户.xlsx · 导入 8 · 合并 1 · 跳过 0 · 失败 2')
    expect(rows[3]).not.toContain('工作表')

    await clickTestId('audit-more')
    expect(calls[1][1]).toMatchObject({ query: { cursor: 6 } })
    expect(rowTexts()).toHaveLength(5)
    expect(rowTexts()[4]).toContain('删除客户')
    expect(rowTexts()[4]).toContain('客户 41 · 名称 旧客户')
    expect(byTestId('audit-more')).toBeNull()
    wrapper.unmount()
  })

  it('in English', async () => {
    backend(() => ({ items: page1, nextCursor: null }))
    const { wrapper } = await mountWith(AuditLogCard, {}, 'en')
    const rows = rowTexts()
    expect(rows[0]).toContain('Backup restored')
    expect(rows[0]).toContain('File 旧账本.db · Backup before restore')
    expect(rows[1]).toContain('Kind Manual')
    expect(rows[2]).toContain('Setting mask_lists · New value Yes')
    wrapper.unmount()
  })

  it('filters by action, by local days (the last one whole) and by text, from the first page', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const calls = backend(() => ({ items: [], nextCursor: null }))
    const { wrapper } = await mountWith(AuditLogCard)
    expect(byTestId('audit-empty')?.textContent).toBe('没有符合条件的记录')

    wrapper.findComponent(NSelect).vm.$emit('update:value', 'backup_restore')
    await flushPromises()
    expect(calls.at(-1)![1]).toMatchObject({ query: { action: 'backup_restore', cursor: null } })

    const start = new Date(2026, 2, 1, 15, 30).getTime()
    const end = new Date(2026, 2, 3, 0, 0).getTime()
    wrapper.findComponent(NDatePicker).vm.$emit('update:value', [start, end])
    await flushPromises()
    const q = (calls.at(-1)![1] as { query: { from: string; to: string } }).query
    expect(new Date(q.from).getTime()).toBe(new Date(2026, 2, 1).getTime())
    expect(new Date(q.to).getTime()).toBe(new Date(2026, 2, 4).getTime())

    const before = calls.length
    await typeInto('audit-text', ' 旧账本 ')
    expect(calls.length).toBe(before)
    await vi.advanceTimersByTimeAsync(300)
    await flushPromises()
    expect(calls.length).toBe(before + 1)
    expect(calls.at(-1)![1]).toMatchObject({ query: { action: 'backup_restore', text: '旧账本', cursor: null } })
    wrapper.unmount()
  })

  it('a failed page says why', async () => {
    backend(() => {
      throw { code: 'VALIDATION', message: 'invalid', fields: { text: 'too_long' } }
    })
    const { wrapper } = await mountWith(AuditLogCard)
    expect(document.body.textContent).toContain('内容过长')
    wrapper.unmount()
  })
})
