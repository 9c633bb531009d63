import { ref, watch, type Ref } from 'vue'
import { useMessage } from 'naive-ui'
import { useI18n } from 'vue-i18n'
import { toAppError, type ReportQuery } from '../../ipc'
import { reportError } from './figures'

/**
 * One report's figures for the page's query, fetched again whenever the query (or `extra`)
 * changes; an answer that arrives after a newer question is dropped.
 */
export function useReport<T>(query: Ref<ReportQuery>, fetch: (q: ReportQuery) => Promise<T>, extra?: Ref<unknown>) {
  const { t, te } = useI18n()
  const message = useMessage()
  const data = ref<T | null>(null) as Ref<T | null>
  const loading = ref(false)
  let asked = 0

  async function load() {
    const mine = ++asked
    loading.value = true
    try {
      const answer = await fetch(query.value)
      if (mine === asked) data.value = answer
    } catch (raw) {
      if (mine === asked) message.error(reportError(t, te, toAppError(raw)))
    } finally {
      if (mine === asked) loading.value = false
    }
  }

  watch([() => JSON.stringify(query.value), () => extra?.value], load, { immediate: true })
  return { data, loading, load }
}
