import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import ReminderRulesCard from '../src/components/settings/ReminderRulesCard.vue'
import { backend, byTestId, clickTestId, mountWith, typeInto, type Handler } from './support'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

const kinds = ['first_contact', 'renewal', 'proposal_no_reply', 'no_response', 'dormant', 'cadence_a', 'cadence_b', 'cadence_c'] as const
const values = [24, 30, 3, 14, 90, 7, 14, 30]
const stored = {
  leadMinutes: 60,
  quietHours: null,
  rules: kinds.map((kind, i) => ({ kind, enabled: true, value: values[i] })),
  renewalField: null,
  scoreDrop: { enabled: true, points: 20, days: 30 },
}
const fields = [
  { id: 1, key: 'cf_1', label: '合同到期日', kind: 'date', options: [], position: 0, inList: false },
  { id: 2, key: 'cf_2', label: '渠道', kind: 'single', options: ['线上'], position: 1, inList: false },
]

function serve(handle: Handler = () => null) {
  return backend((cmd, args) => {
    if (cmd === 'reminder_settings_get') return stored
    if (cmd === 'custom_fields_list') return fields
    if (cmd === 'autostart_get') return false
    return handle(cmd, args)
  })
}

function switchOf(id: string) {
  return byTestId(id)!.closest('.n-switch') ?? byTestId(id)!
}

describe('ReminderRulesCard', () => {
  it('shows the lead time, quiet hours off and every rule with its threshold', async () => {
    serve()
    await mountWith(ReminderRulesCard)
    expect((byTestId('reminder-lead')!.querySelector('input') as HTMLInputElement).value).toBe('60')
    expect(byTestId('reminder-rules-card')!.textContent).toContain('关闭')
    for (const [i, kind] of kinds.entries()) {
      expect((byTestId(`rule-${kind}-value`)!.querySelector('input') as HTMLInputElement).value).toBe(String(values[i]))
    }
    expect(byTestId('rule-first_contact')!.textContent).toContain('小时未首次联系')
    expect(byTestId('rule-dormant')!.textContent).toContain('天未联系')
    expect(byTestId('rule-score-drop')!.textContent).toContain('流失预警')
    expect((byTestId('rule-score-drop-points')!.querySelector('input') as HTMLInputElement).value).toBe('20')
    expect((byTestId('rule-score-drop-days')!.querySelector('input') as HTMLInputElement).value).toBe('30')
  })

  it('saves the score-drop rule of 流失预警 and marks what the core refused', async () => {
    let refuse = false
    const calls = serve((cmd, args) => {
      if (cmd !== 'reminder_settings_set') return null
      if (refuse) throw { code: 'VALIDATION', message: 'invalid', fields: { 'scoreDrop.points': 'out_of_range' } }
      return args.settings
    })
    await mountWith(ReminderRulesCard)
    await typeInto('rule-score-drop-points', '15')
    await typeInto('rule-score-drop-days', '14')
    await clickTestId('reminder-settings-save')
    const sent = calls.find(([cmd]) => cmd === 'reminder_settings_set')![1].settings as typeof stored
    expect(sent.scoreDrop).toEqual({ enabled: true, points: 15, days: 14 })
    refuse = true
    await clickTestId('reminder-settings-save')
    expect(byTestId('rule-score-drop-error')!.textContent!.trim()).toBe('超出允许范围')
  })

  it('saves the changed lead time, a switched-off rule, a new threshold and quiet hours', async () => {
    const calls = serve((cmd, args) => (cmd === 'reminder_settings_set' ? args.settings : null))
    await mountWith(ReminderRulesCard)
    await typeInto('reminder-lead', '30')
    switchOf('rule-dormant-enabled').dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await typeInto('rule-cadence_a-value', '10')
    switchOf('reminder-quiet').dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await clickTestId('reminder-settings-save')
    const sent = calls.find(([cmd]) => cmd === 'reminder_settings_set')![1].settings as typeof stored
    expect(sent.leadMinutes).toBe(30)
    expect(sent.quietHours).toEqual({ start: '22:00', end: '08:00' })
    expect(sent.rules.find((r) => r.kind === 'dormant')).toEqual({ kind: 'dormant', enabled: false, value: 90 })
    expect(sent.rules.find((r) => r.kind === 'cadence_a')).toEqual({ kind: 'cadence_a', enabled: true, value: 10 })
    expect(sent.renewalField).toBeNull()
    expect(document.body.textContent).toContain('提醒规则已保存')
  })

  it('marks the rule the core refused, by its position', async () => {
    serve((cmd) => {
      if (cmd === 'reminder_settings_set') {
        throw { code: 'VALIDATION', message: 'invalid', fields: { 'rules.1.value': 'out_of_range', leadMinutes: 'out_of_range', quietHours: 'time_invalid' } }
      }
      return null
    })
    await mountWith(ReminderRulesCard)
    await clickTestId('reminder-settings-save')
    expect(byTestId('rule-renewal-error')!.textContent).toBe('超出允许范围')
    expect(byTestId('rule-first_contact-error')).toBeNull()
    expect(byTestId('reminder-error-lead')!.textContent).toBe('超出允许范围')
    expect(byTestId('reminder-error-quiet')!.textContent).toBe('请输入有效的时间，如 22:00')
  })

  it('offers only date fields for the renewal date', async () => {
    serve()
    await mountWith(ReminderRulesCard)
    byTestId('reminder-renewal-field')!.querySelector<HTMLElement>('.n-base-selection')!.click()
    await new Promise((r) => setTimeout(r, 50))
    const labels = [...document.querySelectorAll('.n-base-select-option')].map((o) => o.textContent)
    expect(labels).toEqual(['合同到期日'])
  })

  it('switches start at login through the shell', async () => {
    const calls = serve((cmd, args) => (cmd === 'autostart_set' ? args.enabled : null))
    await mountWith(ReminderRulesCard)
    switchOf('autostart').dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await new Promise((r) => setTimeout(r, 0))
    expect(calls.find(([cmd]) => cmd === 'autostart_set')?.[1]).toEqual({ enabled: true })
  })

  it('reads in English', async () => {
    serve()
    await mountWith(ReminderRulesCard, {}, 'en')
    expect(byTestId('rule-first_contact')!.textContent).toContain('New customer not contacted within')
    expect(byTestId('reminder-rules-card')!.textContent).toContain('Start at login')
    expect(byTestId('rule-score-drop')!.textContent).toContain('churn risk')
  })
})
