import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { clearMocks } from '@tauri-apps/api/mocks'
import LockScreen from '../src/components/lock/LockScreen.vue'
import EncryptionCard from '../src/components/settings/EncryptionCard.vue'
import { idleExpired, passwordStrength } from '../src/lock-text'
import { IDLE_CHECK_MS, useLockStore, windowReload } from '../src/stores/lock'
import { useSettingsStore } from '../src/stores/settings'
import type { EncryptionStatus } from '../src/ipc'
import { backend, byTestId, clickTestId, inputValue, mountWith, typeInto, type Handler } from './support'

const said = () => document.body.textContent ?? ''
const statusOff: EncryptionStatus = { path: '/data/yiben.db', encrypted: false, kdf: null, cipher: null, plainBackups: 0 }
const statusOn: EncryptionStatus = {
  path: '/data/yiben.db', encrypted: true, kdf: 'argon2id-v19 m=65536 t=3 p=4', cipher: 'sqlcipher-4 aes-256-cbc hmac-sha512', plainBackups: 0,
}
const lockedState = { locked: true, encrypted: true, settings: { idleMinutes: 15, language: 'zh-CN' }, openError: null }

let reloads: ReturnType<typeof vi.fn>
beforeEach(() => {
  reloads = vi.fn()
  windowReload.run = reloads as unknown as () => void
})

afterEach(() => {
  vi.useRealTimers()
  clearMocks()
  document.body.innerHTML = ''
})

describe('lock helpers', () => {
  it('rates passwords by length and the kinds of characters mixed', () => {
    expect(passwordStrength('abc')).toBe('weak')
    expect(passwordStrength('abcdefgh')).toBe('weak')
    expect(passwordStrength('abcdefg1')).toBe('fair')
    expect(passwordStrength('Abcdefg1!x')).toBe('strong')
    expect(passwordStrength('一本账的很长很长很长很长的密码')).toBe('strong')
  })

  it('is idle once the minutes have passed since the last input, never with 0', () => {
    expect(idleExpired(0, 59_999, 1)).toBe(false)
    expect(idleExpired(0, 60_000, 1)).toBe(true)
    expect(idleExpired(0, 6_000, 0.1)).toBe(true)
    expect(idleExpired(0, 10 ** 12, 0)).toBe(false)
  })
})

describe('LockScreen', () => {
  async function mountLocked(handle: Handler, locale: 'zh-CN' | 'en' = 'zh-CN') {
    const calls = backend((cmd, args) => (cmd === 'lock_state' ? lockedState : handle(cmd, args)))
    const mounted = await mountWith(LockScreen, {}, locale)
    await useLockStore().load()
    return { ...mounted, calls }
  }

  it('unlocks with the right password and reloads the window', async () => {
    const { calls, wrapper } = await mountLocked(() => null)
    expect(byTestId('page-title')?.textContent).toBe('一本账 CRM')
    expect(byTestId('lock-unlock')?.hasAttribute('disabled')).toBe(true)
    await typeInto('lock-password', '正确的密码')
    await clickTestId('lock-unlock')
    expect(calls.find(([c]) => c === 'ledger_unlock')![1]).toEqual({ password: '正确的密码' })
    expect(reloads).toHaveBeenCalledOnce()
    wrapper.unmount()
  })

  it('says a wrong password inline, clears the field and does not reload', async () => {
    const { wrapper } = await mountLocked((cmd) => {
      if (cmd === 'ledger_unlock') throw { code: 'WRONG_PASSWORD', message: 'wrong password', fields: {} }
      return null
    })
    await typeInto('lock-password', '错的')
    await clickTestId('lock-unlock')
    expect(byTestId('lock-error')?.textContent).toBe('密码不正确，请重新输入。')
    expect(inputValue('lock-password')).toBe('')
    expect(reloads).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('after too many tries counts the wait down and keeps 解锁 off until it is over, in English', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const { wrapper, calls } = await mountLocked((cmd) => {
      if (cmd === 'ledger_unlock') throw { code: 'TOO_MANY_TRIES', message: 'too many', fields: { waitSecs: '2' } }
      return null
    }, 'en')
    await typeInto('lock-password', 'guess')
    await clickTestId('lock-unlock')
    expect(byTestId('lock-error')?.textContent).toBe('Too many wrong passwords.')
    expect(byTestId('lock-wait')?.textContent).toBe('Please wait 2 s before trying again.')
    await typeInto('lock-password', 'again')
    expect(byTestId('lock-unlock')?.hasAttribute('disabled')).toBe(true)
    await vi.advanceTimersByTimeAsync(1000)
    expect(byTestId('lock-wait')?.textContent).toBe('Please wait 1 s before trying again.')
    await vi.advanceTimersByTimeAsync(1000)
    expect(byTestId('lock-wait')).toBeNull()
    expect(byTestId('lock-unlock')?.hasAttribute('disabled')).toBe(false)
    expect(calls.filter(([c]) => c === 'ledger_unlock')).toHaveLength(1)
    wrapper.unmount()
  })

  it('switches the language without the ledger: into the lock settings', async () => {
    const { calls, wrapper } = await mountLocked(() => null)
    await useSettingsStore().setLanguage('en')
    expect(calls.find(([c]) => c === 'lock_settings_set')![1]).toEqual({ settings: { idleMinutes: 15, language: 'en' } })
    expect(calls.map(([c]) => c)).not.toContain('language_set')
    wrapper.unmount()
  })
})

describe('the idle lock', () => {
  it('locks an encrypted ledger after the idle minutes without input, and input puts it off', async () => {
    vi.useFakeTimers()
    const calls = backend((cmd) =>
      cmd === 'lock_state' ? { locked: false, encrypted: true, settings: { idleMinutes: 0.1, language: 'zh-CN' } } : null,
    )
    const { wrapper } = await mountWith(LockScreen)
    const lock = useLockStore()
    await lock.load()
    lock.watch()
    await vi.advanceTimersByTimeAsync(5000)
    window.dispatchEvent(new KeyboardEvent('keydown'))
    await vi.advanceTimersByTimeAsync(5000)
    expect(calls.map(([c]) => c)).not.toContain('ledger_lock')
    await vi.advanceTimersByTimeAsync(1000 + IDLE_CHECK_MS)
    expect(calls.filter(([c]) => c === 'ledger_lock')).toHaveLength(1)
    expect(lock.locked).toBe(true)
    expect(reloads).toHaveBeenCalledOnce()
    lock.unwatch()
    wrapper.unmount()
  })

  it('waits while a re-encryption holds it off, and counts the idle time again from its end', async () => {
    vi.useFakeTimers()
    const calls = backend((cmd) =>
      cmd === 'lock_state' ? { locked: false, encrypted: true, settings: { idleMinutes: 0.1, language: 'zh-CN' } } : null,
    )
    const { wrapper } = await mountWith(LockScreen)
    const lock = useLockStore()
    await lock.load()
    lock.watch()
    const release = lock.hold()
    await vi.advanceTimersByTimeAsync(20_000)
    expect(calls.map(([c]) => c)).not.toContain('ledger_lock')
    release()
    await vi.advanceTimersByTimeAsync(5000)
    expect(calls.map(([c]) => c)).not.toContain('ledger_lock')
    await vi.advanceTimersByTimeAsync(1000 + IDLE_CHECK_MS)
    expect(calls.filter(([c]) => c === 'ledger_lock')).toHaveLength(1)
    lock.unwatch()
    wrapper.unmount()
  })

  it('never locks a plain ledger, nor with 0 minutes', async () => {
    vi.useFakeTimers()
    for (const state of [
      { locked: false, encrypted: false, settings: { idleMinutes: 0.1, language: 'zh-CN' } },
      { locked: false, encrypted: true, settings: { idleMinutes: 0, language: 'zh-CN' } },
    ]) {
      const calls = backend((cmd) => (cmd === 'lock_state' ? state : null))
      const { wrapper } = await mountWith(LockScreen)
      const lock = useLockStore()
      await lock.load()
      lock.watch()
      await vi.advanceTimersByTimeAsync(60 * 60_000)
      expect(calls.map(([c]) => c)).not.toContain('ledger_lock')
      lock.unwatch()
      wrapper.unmount()
    }
  })
})

describe('EncryptionCard', () => {
  it('turns encryption on with the password twice, warning that a lost one cannot be recovered', async () => {
    let status = statusOff
    const calls = backend((cmd) => {
      if (cmd === 'encryption_status') return status
      if (cmd === 'encryption_on') status = statusOn
      return null
    })
    const { wrapper } = await mountWith(EncryptionCard)
    expect(byTestId('encryption-status')?.textContent).toBe('未加密')
    await clickTestId('encryption-on-open')
    expect(byTestId('encryption-warning')?.textContent).toContain('密码一旦遗失，账本和加密备份都无法恢复')
    await typeInto('encryption-new', 'abc')
    expect(byTestId('encryption-strength')?.textContent).toContain('强度：弱')
    await typeInto('encryption-new', 'Hua-xin 2026 ledger')
    expect(byTestId('encryption-strength')?.textContent).toBe('强度：强')
    await typeInto('encryption-again', 'Hua-xin 2026 ledgeR')
    expect(byTestId('encryption-mismatch')?.textContent).toBe('两次输入的密码不一致')
    expect(byTestId('encryption-on-confirm')?.hasAttribute('disabled')).toBe(true)
    await typeInto('encryption-again', 'Hua-xin 2026 ledger')
    await clickTestId('encryption-on-confirm')
    expect(calls.find(([c]) => c === 'encryption_on')![1]).toEqual({ password: 'Hua-xin 2026 ledger' })
    expect(said()).toContain('账本已加密。从现在起备份也会加密。')
    expect(byTestId('encryption-status')?.textContent).toContain('已加密')
    expect(byTestId('encryption-cipher')?.textContent).toContain('sqlcipher-4 aes-256-cbc')
    expect(useLockStore().encrypted).toBe(true)
    expect(byTestId('lock-now')).not.toBeNull()
    wrapper.unmount()
  })

  it('refuses a change with a wrong current password and says nothing changed, in English', async () => {
    const calls = backend((cmd) => {
      if (cmd === 'encryption_status') return statusOn
      if (cmd === 'lock_state') return { locked: false, encrypted: true, settings: { idleMinutes: 15, language: 'en' } }
      if (cmd === 'encryption_change') throw { code: 'WRONG_PASSWORD', message: 'wrong password', fields: {} }
      return null
    })
    const { wrapper } = await mountWith(EncryptionCard, {}, 'en')
    await clickTestId('encryption-change-open')
    await typeInto('encryption-current', 'wrong')
    await typeInto('encryption-new', 'new one 123')
    await typeInto('encryption-again', 'new one 123')
    await clickTestId('encryption-change-confirm')
    expect(calls.find(([c]) => c === 'encryption_change')![1]).toEqual({ current: 'wrong', new: 'new one 123' })
    expect(byTestId('encryption-error')?.textContent).toBe('The current password is wrong; nothing was changed.')
    expect(reloads).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('turns encryption off with the current password, and saves the idle minutes', async () => {
    let status = statusOn
    const calls = backend((cmd) => {
      if (cmd === 'encryption_status') return status
      if (cmd === 'encryption_off') status = statusOff
      if (cmd === 'lock_settings_set') return null
      return null
    })
    const { wrapper } = await mountWith(EncryptionCard)
    await typeInto('encryption-idle', '2.5')
    await clickTestId('encryption-idle-save')
    expect(calls.find(([c]) => c === 'lock_settings_set')![1]).toEqual({ settings: { idleMinutes: 2.5, language: 'zh-CN' } })
    await clickTestId('encryption-off-open')
    await typeInto('encryption-current', '正确的密码')
    await clickTestId('encryption-off-confirm')
    expect(calls.find(([c]) => c === 'encryption_off')![1]).toEqual({ current: '正确的密码' })
    expect(byTestId('encryption-status')?.textContent).toBe('未加密')
    expect(byTestId('lock-now')).toBeNull()
    wrapper.unmount()
  })

  it('says an idle time out of range by its reason', async () => {
    backend((cmd) => {
      if (cmd === 'encryption_status') return statusOn
      if (cmd === 'lock_settings_set') throw { code: 'VALIDATION', message: 'invalid', fields: { idleMinutes: 'out_of_range' } }
      return null
    })
    const { wrapper } = await mountWith(EncryptionCard)
    await typeInto('encryption-idle', '0.01')
    await clickTestId('encryption-idle-save')
    expect(said()).toContain('超出允许范围')
    wrapper.unmount()
  })
})
