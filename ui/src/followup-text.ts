// How follow-ups and reminders are worded: built-in methods and rule reminders are
// translated by their code, what the user typed is shown as typed.
import type { FollowupMethod, Reminder } from './ipc'

type Translate = (key: string, named?: Record<string, unknown>) => string
type Has = (key: string) => boolean

/** 电话 / Phone for a built-in method, the user's own name for one they added. */
export function methodLabel(t: Translate, te: Has, method: FollowupMethod): string {
  const key = `followups.methods.${method.code}`
  return method.code && te(key) ? t(key) : method.name
}

/** The method's own quick template, else the translated default for its kind. */
export function methodTemplate(t: Translate, te: Has, method: FollowupMethod): string {
  if (method.template) return method.template
  const key = `followups.templates.${method.code}`
  return method.code && te(key) ? t(key) : t('followups.templates.other')
}

/** What to do: the next step's own words, or the rule's sentence. */
export function reminderAction(t: Translate, reminder: Reminder): string {
  return reminder.action ?? t(`reminders.rules.${reminder.rule}`)
}

/** Due before now: marked overdue wherever it is shown. */
export function isOverdue(reminder: Reminder, now: Date = new Date()): boolean {
  return new Date(reminder.dueAt).getTime() < now.getTime()
}
