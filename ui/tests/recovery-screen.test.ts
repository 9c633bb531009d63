import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import { NPopconfirm } from 'naive-ui'
import RecoveryScreen from '../src/components/RecoveryScreen.vue'
import { useStartupStore } from '../src/stores/startup'
import { backend, byTestId, clickTestId, mountWith } from './support'

const corrupt = '/data/cn.yiben.crm/yiben.db.corrupt-20260302T020100.000Z'
const newest = { kind: 'daily', at: '2026-03-02T01:00:00Z', size: 3 * 1024 * 1024, path: '/data/cn.yiben.crm/backups/yiben-20260302T010000.000Z-daily.db' }

async function mountScreen(found: unknown, handle: (cmd: string) => unknown = () => null, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const calls = backend((cmd) => (cmd === 'startup_state' ? found : handle(cmd)))
  const mounted = await mountWith(RecoveryScreen, {}, locale)
  await useStartupStore().load()
  await flushPromises()
  return { ...mounted, calls }
}

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

describe('RecoveryScreen', () => {
  it('names the kept file and the newest good backup, and restores it', async () => {
    const { wrapper, calls } = await mountScreen({ corruptFile: corrupt, newestGood: newest })
    expect(byTestId('recovery-corrupt-file')?.textContent).toBe(corrupt)
    expect(byTestId('recovery-newest')?.textContent).toMatch(/^最近一份完好的备份：2026\/03\/0[12] \d\d:\d\d（每日自动，3\.0 MB）$/)
    await clickTestId('recovery-restore')
    expect(calls.find(([c]) => c === 'backup_restore')![1]).toEqual({ path: newest.path })
    wrapper.unmount()
  })

  it('in English, and a refused backup is said', async () => {
    const { wrapper } = await mountScreen(
      { corruptFile: corrupt, newestGood: newest },
      (cmd) => {
        if (cmd === 'backup_restore') throw { code: 'BACKUP_CORRUPT', message: 'malformed', fields: {} }
        return null
      },
      'en',
    )
    expect(document.body.textContent).toContain('The ledger file is damaged')
    expect(byTestId('recovery-newest')?.textContent).toContain('(Daily, 3.0 MB)')
    await clickTestId('recovery-restore')
    expect(document.body.textContent).toContain('The backup is damaged and cannot be restored; your data was not changed (malformed)')
    expect(byTestId('recovery-restore')?.hasAttribute('disabled')).toBe(false)
    wrapper.unmount()
  })

  it('without a good backup offers only the empty ledger, which the shell is told about', async () => {
    const { wrapper, calls } = await mountScreen({ corruptFile: corrupt, newestGood: null })
    expect(byTestId('recovery-none')?.textContent).toBe('备份文件夹中没有可用的备份。')
    expect(byTestId('recovery-restore')).toBeNull()
    wrapper.findComponent(NPopconfirm).vm.$emit('positive-click')
    await flushPromises()
    expect(calls.map(([c]) => c)).toContain('recovery_dismiss')
    expect(useStartupStore().recovery).toBeNull()
    wrapper.unmount()
  })
})
