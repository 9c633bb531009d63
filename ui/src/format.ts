import type { Language } from './ipc'

/** 13912345678 → 139 1234 5678, the way Chinese users read a mobile number. */
export function formatMobile(phone: string | null | undefined): string {
  if (!phone) return ''
  return phone.length === 11 ? `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` : phone
}

/** A stored UTC instant shown in the user's own time zone. */
export function formatDateTime(iso: string, language: Language): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d)
}
