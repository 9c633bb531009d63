import type { Language } from './ipc'

/** 13912345678 → 139 1234 5678, the way Chinese users read a mobile number. */
export function formatMobile(phone: string | null | undefined): string {
  if (!phone) return ''
  // Only a whole mobile number: a masked one (138****5678) reads better as it is.
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` : phone
}

// Building an Intl formatter costs far more than using one, and a list formats a date per row.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(language: Language, kind: 'dateTime' | 'day'): Intl.DateTimeFormat {
  const key = `${language}/${kind}`
  let f = formatters.get(key)
  if (!f) {
    const locale = language === 'zh-CN' ? 'zh-CN' : 'en-GB'
    f = new Intl.DateTimeFormat(
      locale,
      kind === 'dateTime'
        ? { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }
        : { month: language === 'zh-CN' ? 'long' : 'short', day: 'numeric', weekday: 'short' },
    )
    formatters.set(key, f)
  }
  return f
}

/** A stored UTC instant shown in the user's own time zone. */
export function formatDateTime(iso: string, language: Language): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return formatter(language, 'dateTime').format(d)
}

/** Fen as the amount people read: 300000000 → ¥3,000,000; 3000050 → ¥30,000.50. */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return ''
  const yuan = fen / 100
  return '¥' + yuan.toLocaleString('en-US', { minimumFractionDigits: fen % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 })
}

/** A custom field value as text for lists and the detail page. */
export function formatCustomValue(kind: string, value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.join('、')
  if (kind === 'money' && typeof value === 'number') return formatFen(value)
  return String(value)
}

/** Hours and minutes of an instant in the user's zone: 09:05. */
export function formatTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/** The local calendar day of an instant as YYYY-MM-DD, for grouping and comparing days. */
export function localDay(at: string | number | Date): string {
  const d = new Date(at)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** A local day (YYYY-MM-DD) as a heading: 3月5日 周四 / Thu 5 Mar. */
export function formatDay(day: string, language: Language): string {
  const [y, m, d] = day.split('-').map(Number)
  const date = new Date(y, m - 1, d)
  return formatter(language, 'day').format(date)
}

/** Today / tomorrow / the date, then the time, relative to `now`: the words come from the caller. */
export function formatWhen(
  iso: string,
  language: Language,
  words: { today: string; tomorrow: string },
  now: Date = new Date(),
): string {
  const day = localDay(iso)
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)
  if (day === localDay(now)) return `${words.today} ${formatTime(iso)}`
  if (day === localDay(tomorrow)) return `${words.tomorrow} ${formatTime(iso)}`
  return formatDateTime(iso, language)
}
