// Words for backups and the audit log: sizes people read, file names without their folders,
// and an entry's details as labelled facts instead of raw JSON.
import type { AuditEntry } from './ipc'

type Translate = (key: string, named?: Record<string, unknown>) => string
type Has = (key: string) => boolean

/** 1536 → 1.5 KB; bytes under a kilobyte stay whole. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

/** The last part of a path, for either separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts[parts.length - 1] || path
}

const PATH_KEYS = new Set(['file', 'path', 'preRestoreBackup'])

function value(key: string, raw: unknown, t: Translate, has: Has): string | null {
  if (raw === null || raw === undefined || raw === '') return null
  if (typeof raw === 'boolean') return t(raw ? 'settings.audit.yes' : 'settings.audit.no')
  if (typeof raw === 'string' && PATH_KEYS.has(key)) return baseName(raw)
  if (key === 'size' && typeof raw === 'number') return formatSize(raw)
  if (key === 'kind' && typeof raw === 'string' && has(`settings.backup.kind.${raw}`)) return t(`settings.backup.kind.${raw}`)
  if (typeof raw === 'object') return JSON.stringify(raw)
  return String(raw)
}

/** `设置项 language · 新值 en`, `文件 客户.xlsx · 导入 8 · …`: what the entry touched and its facts. */
export function auditDetails(entry: AuditEntry, t: Translate, has: Has): string {
  const parts: string[] = []
  if (entry.entity && entry.entityId && entry.entity !== 'backup') {
    const label = has(`settings.audit.entity.${entry.entity}`) ? t(`settings.audit.entity.${entry.entity}`) : entry.entity
    parts.push(`${label} ${entry.entityId}`)
  }
  for (const [key, raw] of Object.entries(entry.details ?? {})) {
    const shown = value(key, raw, t, has)
    if (shown === null) continue
    const label = has(`settings.audit.key.${key}`) ? t(`settings.audit.key.${key}`) : key
    parts.push(`${label} ${shown}`)
  }
  return parts.join(' · ')
}
