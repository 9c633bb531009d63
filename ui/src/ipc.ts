// The one typed door to the Rust core. DTO types are generated from Rust (ts-rs) into
// ./bindings; nothing here restates them.
import { invoke } from '@tauri-apps/api/core'
import type { Column } from './bindings/Column'
import type { Customer } from './bindings/Customer'
import type { CustomerInput } from './bindings/CustomerInput'
import type { CustomerPage } from './bindings/CustomerPage'
import type { CustomerRow } from './bindings/CustomerRow'
import type { CustomField } from './bindings/CustomField'
import type { CustomFieldInput } from './bindings/CustomFieldInput'
import type { DuplicateMatch } from './bindings/DuplicateMatch'
import type { ErrorBody } from './bindings/ErrorBody'
import type { ErrorCode } from './bindings/ErrorCode'
import type { HistoryEntry } from './bindings/HistoryEntry'
import type { Industry } from './bindings/Industry'
import type { Language } from './bindings/Language'
import type { ListQuery } from './bindings/ListQuery'
import type { MergePreview } from './bindings/MergePreview'
import type { MaskedDetails } from './bindings/MaskedDetails'
import type { MergeSide } from './bindings/MergeSide'
import type { SaveOutcome } from './bindings/SaveOutcome'
import type { Channel } from '@tauri-apps/api/core'
import type { CellIssue } from './bindings/CellIssue'
import type { DuplicatePolicy } from './bindings/DuplicatePolicy'
import type { ImportPreview } from './bindings/ImportPreview'
import type { ImportProgress } from './bindings/ImportProgress'
import type { ImportRecord } from './bindings/ImportRecord'
import type { ImportReport } from './bindings/ImportReport'
import type { ImportRequest } from './bindings/ImportRequest'
import type { MappingTemplate } from './bindings/MappingTemplate'
import type { PreviewRow } from './bindings/PreviewRow'
import type { RowProblem } from './bindings/RowProblem'
import type { Target } from './bindings/Target'
import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import type { Followup } from './bindings/Followup'
import type { FollowupCursor } from './bindings/FollowupCursor'
import type { FollowupInput } from './bindings/FollowupInput'
import type { FollowupMethod } from './bindings/FollowupMethod'
import type { FollowupPage } from './bindings/FollowupPage'
import type { NewCustomer } from './bindings/NewCustomer'
import type { QuietHours } from './bindings/QuietHours'
import type { Reminder } from './bindings/Reminder'
import type { ReminderRule } from './bindings/ReminderRule'
import type { ReminderSettings } from './bindings/ReminderSettings'
import type { RuleKind } from './bindings/RuleKind'
import type { RuleSetting } from './bindings/RuleSetting'
import type { Snooze } from './bindings/Snooze'
import type { Workbench } from './bindings/Workbench'

export type {
  Customer, CustomerInput, CustomerPage, CustomerRow, CustomField, CustomFieldInput, DuplicateMatch, ErrorBody,
  HistoryEntry, Industry, Language, ListQuery, MaskedDetails, MergePreview, MergeSide, SaveOutcome,
}
export type {
  CellIssue, DuplicatePolicy, ImportPreview, ImportProgress, ImportRecord, ImportReport, ImportRequest, MappingTemplate,
  PreviewRow, RowProblem, Target,
}
export type {
  Followup, FollowupCursor, FollowupInput, FollowupMethod, FollowupPage, NewCustomer, QuietHours, Reminder, ReminderRule,
  ReminderSettings, RuleKind, RuleSetting, Snooze, Workbench,
}

/** What the reminder scheduler sends with 'reminders-due' and 'reminders-missed'. */
export type DuePayload = { reminders: Reminder[] }

/** Codes from the core, plus IPC for failures that never reached it. */
export type AppErrorCode = ErrorCode | 'IPC'

export class AppError extends Error {
  readonly code: AppErrorCode
  readonly fields: Record<string, string>

  constructor(code: AppErrorCode, message: string, fields: Record<string, string> = {}) {
    super(message)
    this.code = code
    this.fields = fields
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value
}

export function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw
  if (isErrorBody(raw)) return new AppError(raw.code, raw.message, raw.fields ?? {})
  return new AppError('IPC', raw instanceof Error ? raw.message : String(raw))
}

type FailureListener = (err: AppError) => void
const failureListeners = new Set<FailureListener>()

/** Hears every failed call, whichever page made it (the ledger watch shows its warning on
 *  DATA_FOLDER_GONE). Answers a function that stops listening. */
export function onFailure(listener: FailureListener): () => void {
  failureListeners.add(listener)
  return () => failureListeners.delete(listener)
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
  } catch (raw) {
    const err = toAppError(raw)
    for (const listener of failureListeners) listener(err)
    throw err
  }
}

export const api = {
  addCustomer: (input: CustomerInput, allowDuplicate = false) =>
    call<SaveOutcome>('customers_add', { input, allowDuplicate }),
  updateCustomer: (id: number, input: CustomerInput, allowDuplicate = false) =>
    call<SaveOutcome>('customers_update', { id, input, allowDuplicate }),
  getCustomer: (id: number) => call<Customer>('customers_get', { id }),
  listCustomers: (query: ListQuery) => call<CustomerPage>('customers_list', { query }),
  countCustomers: (query: ListQuery) => call<number>('customers_count', { query }),
  customerHistory: (id: number) => call<HistoryEntry[]>('customers_history', { id }),
  customerMasked: (id: number) => call<MaskedDetails | null>('customer_masked', { id }),
  findDuplicates: (input: CustomerInput, exclude: number | null = null) =>
    call<DuplicateMatch[]>('customers_duplicates', { input, exclude }),
  deleteCustomer: (id: number) => call<null>('customers_delete', { id }),
  restoreCustomer: (id: number) => call<Customer>('customers_restore', { id }),
  purgeCustomer: (id: number) => call<null>('customers_purge', { id }),
  mergePreview: (survivor: number, absorbed: number) => call<MergePreview>('customers_merge_preview', { survivor, absorbed }),
  mergeCustomers: (survivor: number, absorbed: number, choices: Record<string, MergeSide>) =>
    call<Customer>('customers_merge', { survivor, absorbed, choices }),
  listIndustries: () => call<Industry[]>('industries_list'),
  saveIndustry: (industry: Industry) => call<Industry>('industries_save', { industry }),
  deleteIndustry: (code: string) => call<null>('industries_delete', { code }),
  listCustomFields: () => call<CustomField[]>('custom_fields_list'),
  createCustomField: (input: CustomFieldInput) => call<CustomField>('custom_fields_create', { input }),
  updateCustomField: (id: number, input: CustomFieldInput) => call<CustomField>('custom_fields_update', { id, input }),
  getLanguage: () => call<Language>('language_get'),
  setLanguage: (language: Language) => call<null>('language_set', { language }),
  getMaskLists: () => call<boolean>('mask_lists_get'),
  setMaskLists: (on: boolean) => call<null>('mask_lists_set', { on }),
  getUiPref: <T>(key: string) => call<T | null>('ui_pref_get', { key }),
  setUiPref: (key: string, value: unknown) => call<null>('ui_pref_set', { key, value }),
  uiReady: () => call<null>('ui_ready'),
  /** Writes the customers the query matches to an .xlsx in Downloads; answers its path. */
  exportCustomers: (query: ListQuery, columns: Column[], mask: boolean) =>
    call<string>('customers_export', { query, columns, mask }),
  importSheets: (path: string) => call<string[]>('import_sheets', { path }),
  importPreview: (request: ImportRequest) => call<ImportPreview>('import_preview', { request }),
  importRun: (request: ImportRequest, onProgress: Channel<ImportProgress>) =>
    call<ImportReport>('import_run', { request, onProgress }),
  importCancel: () => call<null>('import_cancel'),
  importUndo: (id: number | null = null) => call<ImportRecord>('import_undo', { id }),
  importHistory: () => call<ImportRecord[]>('import_history'),
  importTemplates: () => call<MappingTemplate[]>('import_templates'),
  importTemplateSave: (name: string, headers: string[], mapping: Target[]) =>
    call<MappingTemplate>('import_template_save', { name, headers, mapping }),
  /** Writes the rows this request would reject to the Downloads folder; answers the file's path. */
  importRejectedDownload: (request: ImportRequest) => call<string>('import_rejected_download', { request }),
  /** Writes the blank import template to the Downloads folder; answers the file's path. */
  importTemplateDownload: () => call<string>('import_template_download'),
  followupMethods: () => call<FollowupMethod[]>('followup_methods'),
  addFollowupMethod: (name: string, template: string | null) => call<FollowupMethod>('followup_method_add', { name, template }),
  updateFollowupMethod: (id: number, name: string, template: string | null) =>
    call<FollowupMethod>('followup_method_update', { id, name, template }),
  /** A customer's follow-ups, newest first; pass the page's `next` back as `before`. */
  listFollowups: (customerId: number, before: FollowupCursor | null, limit: number) =>
    call<FollowupPage>('followups_list', { customerId, before, limit }),
  addFollowup: (customerId: number, input: FollowupInput) => call<Followup>('followups_add', { customerId, input }),
  updateFollowup: (id: number, input: FollowupInput) => call<Followup>('followups_update', { id, input }),
  deleteFollowup: (id: number) => call<null>('followups_delete', { id }),
  workbench: () => call<Workbench>('workbench'),
  upcomingReminders: (days: number, limit: number) => call<Reminder[]>('reminders_upcoming', { days, limit }),
  customerReminders: (customerId: number) => call<Reminder[]>('customer_reminders', { customerId }),
  snoozeReminder: (id: number, snooze: Snooze) => call<Reminder>('reminder_snooze', { id, snooze }),
  completeReminder: (id: number) => call<Reminder>('reminder_done', { id }),
  reminderSettings: () => call<ReminderSettings>('reminder_settings_get'),
  saveReminderSettings: (settings: ReminderSettings) => call<ReminderSettings>('reminder_settings_set', { settings }),
  /** Reminders that fell due while the app was closed; each is answered only once. */
  missedReminders: () => call<Reminder[]>('reminders_missed'),
  autostart: () => call<boolean>('autostart_get'),
  setAutostart: (enabled: boolean) => call<boolean>('autostart_set', { enabled }),
}

/** The scheduler's announcements, and the click on an OS notification. */
export const events = {
  onRemindersDue: (handle: (payload: DuePayload) => void): Promise<UnlistenFn> =>
    listen<DuePayload>('reminders-due', (e) => handle(e.payload)),
  onRemindersMissed: (handle: (payload: DuePayload) => void): Promise<UnlistenFn> =>
    listen<DuePayload>('reminders-missed', (e) => handle(e.payload)),
  onOpenCustomer: (handle: (customerId: number) => void): Promise<UnlistenFn> =>
    listen<number>('open-customer', (e) => handle(e.payload)),
}

// The sales funnel: deals, the kanban, the reports and the funnel settings.
import type { Board } from './bindings/Board'
import type { BoardColumn } from './bindings/BoardColumn'
import type { Deal } from './bindings/Deal'
import type { DealFilter } from './bindings/DealFilter'
import type { DealInput } from './bindings/DealInput'
import type { DealPage } from './bindings/DealPage'
import type { DealQuery } from './bindings/DealQuery'
import type { DealSettings } from './bindings/DealSettings'
import type { Forecast } from './bindings/Forecast'
import type { ForecastMonth } from './bindings/ForecastMonth'
import type { FunnelReport } from './bindings/FunnelReport'
import type { FunnelStage } from './bindings/FunnelStage'
import type { LostReason } from './bindings/LostReason'
import type { LostReasonInput } from './bindings/LostReasonInput'
import type { LostReasonShare } from './bindings/LostReasonShare'
import type { MoveInput } from './bindings/MoveInput'
import type { Stage } from './bindings/Stage'
import type { StageChange } from './bindings/StageChange'
import type { StageInput } from './bindings/StageInput'
import type { StallReason } from './bindings/StallReason'

export type {
  Board, BoardColumn, Deal, DealFilter, DealInput, DealPage, DealQuery, DealSettings, Forecast, ForecastMonth,
  FunnelReport, FunnelStage, LostReason, LostReasonInput, LostReasonShare, MoveInput, Stage, StageChange, StageInput,
  StallReason,
}

export const dealsApi = {
  add: (input: DealInput) => call<Deal>('deals_add', { input }),
  update: (id: number, input: DealInput) => call<Deal>('deals_update', { id, input }),
  move: (id: number, input: MoveInput) => call<Deal>('deals_move', { id, input }),
  remove: (id: number) => call<null>('deals_delete', { id }),
  get: (id: number) => call<Deal>('deals_get', { id }),
  history: (id: number) => call<StageChange[]>('deals_history', { id }),
  list: (query: DealQuery) => call<DealPage>('deals_list', { query }),
  board: (filter: DealFilter) => call<Board>('deals_board', { filter }),
  stalled: (filter: DealFilter, limit: number) => call<Deal[]>('deals_stalled', { filter, limit }),
  funnel: (filter: DealFilter) => call<FunnelReport>('report_funnel', { filter }),
  forecast: (filter: DealFilter) => call<Forecast>('report_forecast', { filter }),
  stages: () => call<Stage[]>('deal_stages_list'),
  saveStage: (input: StageInput) => call<Stage>('deal_stages_save', { input }),
  reorderStages: (ids: number[]) => call<Stage[]>('deal_stages_reorder', { ids }),
  deleteStage: (id: number) => call<null>('deal_stages_delete', { id }),
  lostReasons: () => call<LostReason[]>('lost_reasons_list'),
  saveLostReason: (input: LostReasonInput) => call<LostReason>('lost_reasons_save', { input }),
  deleteLostReason: (id: number) => call<null>('lost_reasons_delete', { id }),
  settings: () => call<DealSettings>('deal_settings_get'),
  setSettings: (settings: DealSettings) => call<null>('deal_settings_set', { settings }),
}

// Tags, filters, saved segments and the value score.
import type { FilterSummary } from './bindings/FilterSummary'
import type { ScoreDetail } from './bindings/ScoreDetail'
import type { Segment } from './bindings/Segment'
import type { Tag } from './bindings/Tag'
import type { TagGroup } from './bindings/TagGroup'
import type { TagTarget } from './bindings/TagTarget'

export type { FilterSummary, ScoreDetail, Segment, Tag, TagGroup, TagTarget }

export const tagsApi = {
  groups: () => call<TagGroup[]>('tag_groups_list'),
  addGroup: (name: string) => call<TagGroup>('tag_group_add', { name }),
  list: () => call<Tag[]>('tags_list'),
  /** `group` is the group's id, code or name. */
  add: (name: string, group: string, color: string) => call<Tag>('tag_add', { name, group, color }),
  update: (id: number, name: string, groupId: number, color: string) => call<Tag>('tag_update', { id, name, groupId, color }),
  merge: (from: number, into: number) => call<Tag>('tag_merge', { from, into }),
  remove: (id: number) => call<null>('tag_delete', { id }),
  /** Answers how many customer–tag links changed. */
  apply: (target: TagTarget, add: number[], remove: number[]) => call<number>('customers_tag', { target, add, remove }),
  /** A customer's tags as [tag id, set by a rule]. */
  ofCustomer: (customerId: number) => call<[number, boolean][]>('customer_tags', { customerId }),
  describe: (filter: string) => call<FilterSummary>('filter_describe', { filter }),
  segments: (withCounts: boolean) => call<Segment[]>('segments_list', { withCounts }),
  saveSegment: (name: string, filter: string) => call<Segment>('segment_save', { name, filter }),
  renameSegment: (id: number, name: string) => call<Segment>('segment_rename', { id, name }),
  deleteSegment: (id: number) => call<null>('segment_delete', { id }),
  score: (customerId: number) => call<ScoreDetail>('customer_score', { customerId }),
}

// Reports: the dashboard, the four reports, their drill-down lists and the exports.
import type { CustomerAnalysis } from './bindings/CustomerAnalysis'
import type { Dashboard } from './bindings/Dashboard'
import type { Dimension } from './bindings/Dimension'
import type { DrillKind } from './bindings/DrillKind'
import type { DrillPage } from './bindings/DrillPage'
import type { DrillQuery } from './bindings/DrillQuery'
import type { DrillRow } from './bindings/DrillRow'
import type { DrillTarget } from './bindings/DrillTarget'
import type { FollowupEfficiency } from './bindings/FollowupEfficiency'
import type { FunnelAnalysis } from './bindings/FunnelAnalysis'
import type { GroupRow } from './bindings/GroupRow'
import type { Kpi } from './bindings/Kpi'
import type { KpiCards } from './bindings/KpiCards'
import type { KpiKey } from './bindings/KpiKey'
import type { LostReasonRow } from './bindings/LostReasonRow'
import type { MethodRow } from './bindings/MethodRow'
import type { MonthSeries } from './bindings/MonthSeries'
import type { Performance } from './bindings/Performance'
import type { PerformanceRow } from './bindings/PerformanceRow'
import type { PeriodPreset } from './bindings/PeriodPreset'
import type { PeriodRange } from './bindings/PeriodRange'
import type { ReportKind } from './bindings/ReportKind'
import type { ReportQuery } from './bindings/ReportQuery'
import type { ResolvedPeriod } from './bindings/ResolvedPeriod'
import type { TrendPoint } from './bindings/TrendPoint'

export type {
  CustomerAnalysis, Dashboard, Dimension, DrillKind, DrillPage, DrillQuery, DrillRow, DrillTarget, FollowupEfficiency,
  FunnelAnalysis, GroupRow, Kpi, KpiCards, KpiKey, LostReasonRow, MethodRow, MonthSeries, Performance, PerformanceRow, PeriodPreset,
  PeriodRange, ReportKind, ReportQuery, ResolvedPeriod, TrendPoint,
}

export const reportsApi = {
  dashboard: (query: ReportQuery) => call<Dashboard>('reports_dashboard', { query }),
  kpis: (query: ReportQuery) => call<KpiCards>('reports_kpis', { query }),
  customers: (query: ReportQuery, dimension: Dimension) => call<CustomerAnalysis>('reports_customers', { query, dimension }),
  performance: (query: ReportQuery) => call<Performance>('reports_performance', { query }),
  followups: (query: ReportQuery) => call<FollowupEfficiency>('reports_followups', { query }),
  funnel: (query: ReportQuery) => call<FunnelAnalysis>('reports_funnel', { query }),
  drill: (query: DrillQuery) => call<DrillPage>('reports_drill', { query }),
  owners: () => call<string[]>('reports_owners'),
  /** Writes the report (or all of them) to the .xlsx path; answers the path written. */
  export: (query: ReportQuery, kind: ReportKind, path: string) => call<string>('reports_export', { query, kind, path }),
  /** The native save dialog in the downloads folder; null when the user cancels. */
  savePath: (suggested: string, filter: string, extension: string) =>
    call<string | null>('reports_save_path', { suggested, filter, extension }),
  /** Writes a chart picture; the core refuses anything but a PNG to a .png path. */
  savePng: (path: string, bytes: number[]) => call<string>('reports_save_png', { path, bytes }),
}

import type { AuditAction } from './bindings/AuditAction'
import type { AuditEntry } from './bindings/AuditEntry'
import type { AuditPage } from './bindings/AuditPage'
import type { AuditQuery } from './bindings/AuditQuery'
import type { BackupInfo } from './bindings/BackupInfo'
import type { BackupKind } from './bindings/BackupKind'
import type { CheckReport } from './bindings/CheckReport'
import type { Recovery } from './bindings/Recovery'

export type { AuditAction, AuditEntry, AuditPage, AuditQuery, BackupInfo, BackupKind, CheckReport, Recovery }

export const backupApi = {
  /** A damaged ledger found at start-up (kept aside, an empty one opened), or null. */
  startupState: () => call<Recovery | null>('startup_state'),
  /** Go on with the empty ledger; the damaged file stays where it was kept. */
  dismissRecovery: () => call<null>('recovery_dismiss'),
  list: () => call<BackupInfo[]>('backups_list'),
  /** A manual backup into the app's backups folder. */
  now: () => call<BackupInfo>('backup_now'),
  /** A manual backup to a file chosen in the save dialog. */
  toFile: (path: string) => call<BackupInfo>('backup_to_file', { path }),
  /** The native open dialog for a backup file; null when the user cancels. */
  pickRestoreFile: (filter: string) => call<string | null>('restore_pick_path', { filter }),
  /** Replaces the ledger with the backup (the current one is backed up first); the app restarts. */
  restore: (path: string) => call<null>('backup_restore', { path }),
  /** False after a restore closed the ledger without replacing it (BUSY): a restart reopens it. */
  ledgerIsOpen: () => call<boolean>('ledger_is_open'),
  restartApp: () => call<null>('app_restart'),
  audit: (query: AuditQuery) => call<AuditPage>('audit_list', { query }),
  check: () => call<CheckReport>('ledger_check'),
}

import type { LedgerState } from './bindings/LedgerState'
import type { LedgerStatus } from './bindings/LedgerStatus'

export type { LedgerState, LedgerStatus }

export const ledgerApi = {
  /** Whether the ledger's file is still where it was opened (its folder may have been deleted). */
  status: () => call<LedgerStatus>('ledger_status'),
  /** Writes the still-open ledger to a file chosen in the save dialog. */
  rescueTo: (path: string) => call<BackupInfo>('ledger_rescue_to', { path }),
  /** Recreates the data folder, writes the ledger back there, and restarts the app. */
  rescueInPlace: () => call<null>('ledger_rescue_in_place'),
}

import type { EncryptionStatus } from './bindings/EncryptionStatus'
import type { LockSettings } from './bindings/LockSettings'
import type { LockState } from './bindings/LockState'

export type { EncryptionStatus, LockSettings, LockState }

/** Sent by the shell when the ledger locks by other means than the window's request (the tray). */
export const LOCKED_EVENT = 'ledger-locked'

export const lockApi = {
  /** Whether the ledger waits for its password; asked before anything else, answered while locked. */
  state: () => call<LockState>('lock_state'),
  /** The idle minutes and the lock screen's language (kept outside the ledger; works while locked). */
  setSettings: (settings: LockSettings) => call<null>('lock_settings_set', { settings }),
  /** WRONG_PASSWORD, or TOO_MANY_TRIES with fields.waitSecs. */
  unlock: (password: string) => call<null>('ledger_unlock', { password }),
  lock: () => call<null>('ledger_lock'),
  /** A ledger that could not be opened at start-up, tried again; its error again if it still fails. */
  openAgain: () => call<null>('ledger_open_again'),
  quit: () => call<null>('app_quit'),
  onLocked: (handler: () => void): Promise<UnlistenFn> => listen(LOCKED_EVENT, handler),
  encryptionStatus: () => call<EncryptionStatus>('encryption_status'),
  encrypt: (password: string) => call<null>('encryption_on', { password }),
  changePassword: (current: string, next: string) => call<null>('encryption_change', { current, new: next }),
  decrypt: (current: string) => call<null>('encryption_off', { current }),
}
