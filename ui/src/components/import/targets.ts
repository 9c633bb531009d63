// The fields a column can be imported into, and how a Target travels through an NSelect
// (whose values must be strings).
import type { CustomField, Target } from '../../ipc'

type Translate = (key: string, named?: Record<string, unknown>) => string

/** Every built-in target, in the order the mapping list offers them. */
export const BUILT_IN_TARGETS = [
  'name', 'number', 'kind', 'industry', 'size', 'revenue', 'region', 'address', 'source', 'first_contact', 'owner',
  'grade', 'stage', 'needs', 'notes', 'contact_name', 'contact_title', 'phone', 'wechat', 'email', 'tags',
  'expected_amount',
] as const satisfies readonly Target[]

const CUSTOM_PREFIX = 'custom:'

export function targetKey(target: Target): string {
  return typeof target === 'string' ? target : `${CUSTOM_PREFIX}${target.custom}`
}

export function keyTarget(key: string): Target {
  return key.startsWith(CUSTOM_PREFIX) ? { custom: key.slice(CUSTOM_PREFIX.length) } : (key as Target)
}

export function targetLabel(t: Translate, target: Target): string {
  return typeof target === 'string' ? t(`importWizard.targets.${target}`) : t('importWizard.targets.custom', { label: target.custom })
}

/** NSelect options: built-ins, then one per custom field, then 不导入. Custom labels the
 * mapping already names are kept even if the field list does not know them. */
export function targetOptions(t: Translate, fields: CustomField[], mapping: Target[] = []) {
  const labels = new Set(fields.map((f) => f.label))
  for (const target of mapping) if (typeof target !== 'string') labels.add(target.custom)
  return [
    ...BUILT_IN_TARGETS.map((target) => ({ value: target as string, label: targetLabel(t, target) })),
    ...[...labels].map((label) => ({ value: targetKey({ custom: label }), label: targetLabel(t, { custom: label }) })),
    { value: 'ignore', label: targetLabel(t, 'ignore') },
  ]
}

/** The engine needs a column for the customer's name (or a contact's, for a sheet of people). */
export function namesSomeone(mapping: Target[]): boolean {
  return mapping.includes('name') || mapping.includes('contact_name')
}
