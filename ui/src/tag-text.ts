// How tags and groups read in the UI language: built-in groups and automatic tags are
// translated by code; the user's own keep the name they were given.
import type { Tag, TagGroup } from './ipc'

type Translate = (key: string, named?: Record<string, unknown>) => string
type Has = (key: string) => boolean

export function groupLabel(t: Translate, te: Has, group: TagGroup): string {
  return group.code && te(`tags.groups.${group.code}`) ? t(`tags.groups.${group.code}`) : group.name
}

export function tagLabel(t: Translate, te: Has, tag: Tag): string {
  return tag.auto && te(`tags.auto.${tag.auto}`) ? t(`tags.auto.${tag.auto}`) : tag.name
}

/** The tag's colour as a chip: tinted background, full-colour text and border. */
export function chipColors(color: string) {
  return { color: `${color}1a`, textColor: color, borderColor: `${color}66` }
}

/** The score's factors in the order of ScoreDetail.points, and each one's most points. */
export const FACTORS = ['recency', 'frequency', 'monetary', 'engagement', 'funnel'] as const
export const FACTOR_MAX = [30, 20, 25, 10, 15]
