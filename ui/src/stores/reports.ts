import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Dimension, PeriodPreset, ReportQuery } from '../ipc'
import { reportQuery } from '../components/reports/figures'

export type ReportTab = 'dashboard' | 'customers' | 'performance' | 'followups' | 'funnel'

/** The reports' period, owner, tab and grouping: shared by every tab and kept while the user looks elsewhere. */
export const useReportsStore = defineStore('reports', () => {
  const preset = ref<PeriodPreset>('month')
  /** The custom period's first and last day, YYYY-MM-DD. */
  const range = ref<[string, string] | null>(null)
  const owner = ref<string | null>(null)
  const tab = ref<ReportTab>('dashboard')
  const dimension = ref<Dimension>('industry')

  /** None while a custom period still lacks its days. */
  const query = computed<ReportQuery | null>(() => reportQuery(preset.value, range.value, owner.value))

  return { preset, range, owner, tab, dimension, query }
})
