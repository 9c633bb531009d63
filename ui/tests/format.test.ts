import { describe, expect, it } from 'vitest'
import { formatDateTime, formatDay, formatMobile, formatTime, formatWhen, localDay } from '../src/format'

describe('formatMobile', () => {
  it('groups an 11-digit mobile as 3-4-4', () => {
    expect(formatMobile('13912345678')).toBe('139 1234 5678')
  })
  it('leaves anything else as it is and shows nothing for no phone', () => {
    expect(formatMobile('0755-1234567')).toBe('0755-1234567')
    expect(formatMobile('138****5678')).toBe('138****5678')
    expect(formatMobile(null)).toBe('')
  })
})

describe('formatDateTime', () => {
  it('shows a UTC instant in the local zone, 24-hour', () => {
    const text = formatDateTime('2026-03-01T01:30:00Z', 'zh-CN')
    const local = new Date('2026-03-01T01:30:00Z')
    expect(text).toContain(String(local.getHours()).padStart(2, '0') + ':30')
    expect(text).toContain('2026')
  })
  it('returns unparseable input unchanged', () => {
    expect(formatDateTime('not a date', 'en')).toBe('not a date')
  })
})

describe('formatWhen and the day helpers', () => {
  const words = { today: '今天', tomorrow: '明天' }
  const now = new Date(2026, 2, 5, 9, 30)
  it('says today or tomorrow with the local time, else the full date', () => {
    expect(formatWhen(new Date(2026, 2, 5, 14, 5).toISOString(), 'zh-CN', words, now)).toBe('今天 14:05')
    expect(formatWhen(new Date(2026, 2, 6, 9, 0).toISOString(), 'zh-CN', words, now)).toBe('明天 09:00')
    expect(formatWhen(new Date(2026, 2, 8, 9, 0).toISOString(), 'zh-CN', words, now)).toContain('2026')
  })
  it('groups by the local calendar day and titles it in the language', () => {
    expect(localDay(new Date(2026, 2, 5, 23, 59))).toBe('2026-03-05')
    expect(formatDay('2026-03-05', 'zh-CN')).toContain('3月5日')
    expect(formatDay('2026-03-05', 'en')).toContain('Mar')
    expect(formatTime(new Date(2026, 2, 5, 7, 3).toISOString())).toBe('07:03')
  })
})
