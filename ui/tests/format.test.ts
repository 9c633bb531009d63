import { describe, expect, it } from 'vitest'
import { formatDateTime, formatMobile } from '../src/format'

describe('formatMobile', () => {
  it('groups an 11-digit mobile as 3-4-4', () => {
    expect(formatMobile('13912345678')).toBe('139 1234 5678')
  })
  it('leaves anything else as it is and shows nothing for no phone', () => {
    expect(formatMobile('0755-1234567')).toBe('0755-1234567')
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
