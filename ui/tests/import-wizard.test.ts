import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider } from 'naive-ui'
import ImportPage from '../src/pages/ImportPage.vue'
import { makeI18n } from '../src/i18n'
import type { ImportPreview, ImportProgress, ImportRecord, ImportReport, Target } from '../src/ipc'

// happy-dom lays nothing out, so a virtual list never learns its height and shows no rows.
// Naive UI's observer is created when it is imported: give it one that reports a viewport.
vi.hoisted(() => {
  class ViewportObserver {
    constructor(private readonly callback: (entries: unknown[]) => void) {}
    observe(target: Element) {
      setTimeout(() => this.callback([{ target, contentRect: { width: 1200, height: 600 } }]))
    }
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(window, 'ResizeObserver', { value: ViewportObserver, configurable: true, writable: true })
})

const Host = defineComponent({
  render: () => h(NMessageProvider, null, { default: () => h(NDialogProvider, null, { default: () => h(ImportPage) }) }),
})

const FILE = 'C:\\资料\\客户信息.xlsx'
const HEADERS = ['客户编号', '客户名称', '联系人', '联系方式（电话/微信）', '邮箱', '所属行业', '首次接触时间', '负责人', '预计成交金额']
const SUGGESTED: Target[] = ['number', 'name', 'contact_name', 'phone', 'email', 'industry', 'first_contact', 'owner', 'expected_amount']

function preview(overrides: Partial<ImportPreview> = {}): ImportPreview {
  return {
    fileName: '客户信息.xlsx',
    sheets: ['客户信息', '说明'],
    sheet: '客户信息',
    headerRow: 3,
    headers: HEADERS,
    mapping: SUGGESTED,
    rows: [
      {
        row: 4,
        cells: ['2024-MFG-001', '华信科技有限公司', '张总', '13912345678', 'zhang@huaxin.cn', '制造业', '2024-03-01', '王经理', '300000'],
        issues: [],
        duplicateOf: null,
      },
      {
        row: 8,
        cells: ['2024-MFG-004', '东方机械厂', '孙七', '1391234567', '', '制造业', '2024-02-30', '王经理', '面议'],
        issues: [{ column: 3, code: 'phone_invalid' }, { column: 6, code: 'date_invalid' }],
        duplicateOf: null,
      },
      {
        row: 9,
        cells: ['2024-SVC-005', '德信咨询', '周八', '13712345678', 'zhou@dexin.cn', '服务业', '2024-04-10', '陈销售', '1.5亿'],
        issues: [],
        duplicateOf: '德信咨询',
      },
    ],
    totalRows: 10,
    invalidRows: 2,
    duplicateRows: 1,
    ...overrides,
  }
}

function report(overrides: Partial<ImportReport> = {}): ImportReport {
  return {
    importId: 42,
    fileName: '客户信息.xlsx',
    imported: 8,
    merged: 2,
    skipped: 0,
    rejected: 0,
    blank: 1,
    errors: [],
    warnings: [],
    elapsedMs: 120,
    ...overrides,
  }
}

function record(id: number, undoneAt: number | null = null): ImportRecord {
  return {
    id, fileName: '上月客户.xlsx', sheet: 'Sheet1', at: Date.UTC(2026, 2, 1, 1, 30), policy: 'merge',
    imported: 5, merged: 1, skipped: 0, rejected: 0, undoneAt,
  }
}

type Handler = (cmd: string, args: Record<string, unknown>) => unknown
let calls: Array<[string, Record<string, unknown>]> = []

/** A core that answers every import command; `handle` may override any of them. */
function backend(handle: Handler = () => undefined) {
  calls = []
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>
    calls.push([cmd, a])
    const answer = handle(cmd, a)
    if (answer !== undefined) return answer
    switch (cmd) {
      case 'import_history':
        return []
      case 'import_templates':
        return [{ name: '展会名单', mapping: { 客户名称: 'name' } }]
      case 'custom_fields_list':
        return [{ id: 1, key: 'cf_1', label: '客户所属渠道', kind: 'single', options: ['线上'], position: 0, inList: true }]
      case 'import_preview':
        return preview()
      case 'import_run':
        return report()
      default:
        return null
    }
  })
}

const argsOf = (cmd: string) => calls.filter(([c]) => c === cmd).map(([, a]) => a)

async function mountPage(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/customers', name: 'customers', component: { render: () => null } },
      { path: '/customers/import', name: 'import', component: ImportPage },
    ],
  })
  await router.push('/customers/import')
  const wrapper = mount(Host, { global: { plugins: [makeI18n(locale), createPinia(), router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

const byId = (wrapper: VueWrapper, id: string) => wrapper.find(`[data-testid="${id}"]`)

async function click(wrapper: VueWrapper, id: string) {
  const el = byId(wrapper, id)
  expect(el.exists(), `[data-testid=${id}] exists`).toBe(true)
  await el.trigger('click')
  await flushPromises()
}

async function typePath(wrapper: VueWrapper, value: string) {
  const input = byId(wrapper, 'import-path').find('input')
  await input.setValue(value)
}

/** Clicks the confirming button of the open popconfirm. */
async function confirm() {
  const buttons = document.querySelectorAll<HTMLButtonElement>('.n-popconfirm__action button')
  buttons[buttons.length - 1].click()
  await flushPromises()
}

/** Types the path and walks forward to the given step (2 sheet … 5 duplicates). */
async function walkTo(wrapper: VueWrapper, step: number) {
  await typePath(wrapper, FILE)
  for (let s = 1; s < step; s++) await click(wrapper, 'import-next')
  // The preview's virtual rows appear once the list has measured itself.
  if (step === 4) await vi.waitFor(() => expect(byId(wrapper, 'preview-table').text()).toContain('华信科技有限公司'))
}

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

describe('ImportPage', () => {
  it('previews the typed path and shows the detected header row', async () => {
    backend()
    const { wrapper } = await mountPage()
    expect(byId(wrapper, 'page-title').text()).toBe('导入客户')
    expect(wrapper.text()).toContain('选择文件')
    await walkTo(wrapper, 2)
    expect(argsOf('import_preview')[0]).toEqual({ request: { path: FILE, onDuplicate: 'merge' } })
    expect(byId(wrapper, 'header-detected').text()).toBe('已自动识别表头在第 3 行，如不正确请修改。')
    expect((byId(wrapper, 'import-header-row').find('input').element as HTMLInputElement).value).toBe('3')
    expect(byId(wrapper, 'sheet-table').text()).toContain('华信科技有限公司')
    expect(byId(wrapper, 'import-sheet').text()).toContain('客户信息')
    wrapper.unmount()
  })

  it('asks for a file before previewing anything', async () => {
    backend()
    const { wrapper } = await mountPage()
    await click(wrapper, 'import-next')
    expect(argsOf('import_preview')).toEqual([])
    expect(byId(wrapper, 'import-error').text()).toContain('请先选择或输入要导入的文件')
    wrapper.unmount()
  })

  it('re-runs the preview with the header row the user sets', async () => {
    backend((cmd, a) => {
      if (cmd === 'import_preview' && (a.request as { headerRow?: number }).headerRow === 4) return preview({ headerRow: 4 })
      return undefined
    })
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 2)
    const input = byId(wrapper, 'import-header-row').find('input')
    await input.setValue('4')
    await input.trigger('blur')
    await flushPromises()
    expect(argsOf('import_preview').at(-1)).toEqual({
      request: { path: FILE, sheet: '客户信息', headerRow: 4, onDuplicate: 'merge' },
    })
    wrapper.unmount()
  })

  it('shows the suggested mapping with Chinese field names and the custom fields', async () => {
    backend()
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 3)
    expect(byId(wrapper, 'map-header-1').text()).toBe('客户名称')
    expect(byId(wrapper, 'map-1').text()).toContain('客户名称')
    expect(byId(wrapper, 'map-3').text()).toContain('电话')
    expect(byId(wrapper, 'map-8').text()).toContain('预计成交金额')
    expect(byId(wrapper, 'mapping-warning').exists()).toBe(false)
    expect(argsOf('custom_fields_list')).toHaveLength(1)
    await click(wrapper, 'import-next')
    expect(argsOf('import_preview').at(-1)).toEqual({
      request: { path: FILE, sheet: '客户信息', headerRow: 3, mapping: SUGGESTED, onDuplicate: 'merge' },
    })
    wrapper.unmount()
  })

  it('offers every field plus the custom fields, and applies a saved template', async () => {
    backend((cmd, a) => {
      if (cmd === 'import_preview' && (a.request as { template?: string }).template === '展会名单') {
        return preview({ mapping: ['ignore', 'name', 'ignore', 'phone', 'ignore', 'ignore', 'ignore', 'ignore', { custom: '客户所属渠道' }] })
      }
      return undefined
    })
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 3)
    await byId(wrapper, 'map-0').find('.n-base-selection').trigger('click')
    await vi.waitFor(() => {
      const labels = [...document.querySelectorAll('.n-base-select-option')].map((o) => o.textContent)
      expect(labels).toEqual(expect.arrayContaining(['客户名称', '企业规模/员工人数', '首次接触时间', '客户所属渠道（自定义字段）', '不导入']))
    })
    document.body.click()
    await byId(wrapper, 'mapping-template').find('.n-base-selection').trigger('click')
    const option = await vi.waitFor(() => {
      const found = [...document.querySelectorAll<HTMLElement>('.n-base-select-option')].find((o) => o.textContent === '展会名单')
      if (!found) throw new Error('the template menu is not open yet')
      return found
    })
    option.click()
    await flushPromises()
    expect(argsOf('import_preview').at(-1)).toEqual({
      request: { path: FILE, sheet: '客户信息', headerRow: 3, template: '展会名单', onDuplicate: 'merge' },
    })
    expect(byId(wrapper, 'map-0').text()).toContain('不导入')
    expect(byId(wrapper, 'map-8').text()).toContain('客户所属渠道（自定义字段）')
    expect(document.body.textContent).toContain('已套用模板：展会名单')
    wrapper.unmount()
  })

  it('saves the mapping as a template', async () => {
    backend((cmd, a) => (cmd === 'import_template_save' ? { name: a.name, mapping: {} } : undefined))
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 3)
    await click(wrapper, 'template-save-open')
    const name = document.querySelector<HTMLInputElement>('[data-testid="template-name"] input')!
    name.value = '展会名单 2026'
    name.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="template-save"]')!.click()
    await flushPromises()
    expect(argsOf('import_template_save')).toEqual([{ name: '展会名单 2026', headers: HEADERS, mapping: SUGGESTED }])
    expect(document.body.textContent).toContain('已保存模板：展会名单 2026')
    wrapper.unmount()
  })

  it('marks a cell with a problem, with the translated reason, and tags duplicates', async () => {
    backend()
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 4)
    expect(byId(wrapper, 'preview-summary').text()).toBe('共 10 行，其中 2 行有问题，1 行可能重复')
    const phone = byId(wrapper, 'issue-8-3')
    expect(phone.exists()).toBe(true)
    expect(phone.attributes('aria-label')).toBe('不是有效的电话号码（手机 11 位，或区号-号码）')
    expect(phone.text()).toBe('1391234567')
    expect(phone.element.closest('td')?.classList.contains('cell-issue')).toBe(true)
    expect(byId(wrapper, 'issue-8-6').attributes('aria-label')).toBe('不是有效的日期（如 2024-03-01）')
    expect(byId(wrapper, 'issue-4-3').exists()).toBe(false)
    expect(byId(wrapper, 'dup-9').text()).toBe('重复：德信咨询')
    await phone.trigger('mouseenter')
    await new Promise((r) => setTimeout(r, 250))
    await flushPromises()
    expect(document.body.textContent).toContain('不是有效的电话号码（手机 11 位，或区号-号码）')
    wrapper.unmount()
  })

  it('sends the duplicate policy the user chose and reports in its words', async () => {
    backend((cmd) => (cmd === 'import_run' ? report({ merged: 0, skipped: 1, imported: 7, rejected: 2 }) : undefined))
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 5)
    expect((byId(wrapper, 'policy-merge').find('input').element as HTMLInputElement).checked).toBe(true)
    await byId(wrapper, 'policy-skip').find('input').trigger('change')
    await flushPromises()
    await click(wrapper, 'import-start')
    const [run] = argsOf('import_run')
    expect(run.request).toEqual({ path: FILE, sheet: '客户信息', headerRow: 3, mapping: SUGGESTED, onDuplicate: 'skip' })
    expect(run.onProgress).toBeTruthy()
    expect(byId(wrapper, 'import-summary').text()).toBe('导入成功 7 条，重复 1 条（已跳过），失败 2 条')
    wrapper.unmount()
  })

  it('says the result the way the seed does', async () => {
    backend()
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 5)
    await click(wrapper, 'import-start')
    expect(byId(wrapper, 'import-summary').text()).toBe('导入成功 8 条，重复 2 条（已合并），失败 0 条')
    expect(byId(wrapper, 'download-rejected').exists()).toBe(false)
    wrapper.unmount()
  })

  it('lists the failed rows with translated reasons and downloads them', async () => {
    const errors = [
      { row: 8, column: '联系方式（电话/微信）', reason: 'phone_invalid' },
      { row: 13, column: '联系方式（电话/微信）', reason: 'phone_invalid' },
    ]
    backend((cmd) => {
      if (cmd === 'import_run') return report({ rejected: 2, merged: 0, errors, warnings: [{ row: 9, column: '所属行业', reason: 'unknown_industry' }] })
      if (cmd === 'import_rejected_download') return '/home/someone/下载/导入失败的行.xlsx'
      return undefined
    })
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 5)
    await click(wrapper, 'import-start')
    expect(byId(wrapper, 'import-summary').text()).toBe('导入成功 8 条，重复 0 条（已合并），失败 2 条')
    const table = byId(wrapper, 'import-errors').text()
    expect(table).toContain('13')
    expect(table).toContain('不是有效的电话号码')
    expect(byId(wrapper, 'import-warnings').text()).toContain('不在行业列表中，已记入备注')
    await click(wrapper, 'download-rejected')
    expect(argsOf('import_rejected_download')).toEqual([
      { request: { path: FILE, sheet: '客户信息', headerRow: 3, mapping: SUGGESTED, onDuplicate: 'merge' } },
    ])
    expect(byId(wrapper, 'rejected-path').text()).toBe('/home/someone/下载/导入失败的行.xlsx')
    wrapper.unmount()
  })

  it('undoes the import it just ran, by its id', async () => {
    backend((cmd) => (cmd === 'import_undo' ? record(42, Date.now()) : undefined))
    const { wrapper, router } = await mountPage()
    await walkTo(wrapper, 5)
    await click(wrapper, 'import-start')
    await click(wrapper, 'import-undo')
    expect(argsOf('import_undo')).toEqual([])
    await confirm()
    expect(argsOf('import_undo')).toEqual([{ id: 42 }])
    expect(byId(wrapper, 'import-undone').text()).toBe('本次导入已撤销')
    await click(wrapper, 'import-view-customers')
    expect(router.currentRoute.value.name).toBe('customers')
    wrapper.unmount()
  })

  it('undoes an earlier import from the history', async () => {
    let history = [record(7), record(6, Date.UTC(2026, 2, 2))]
    backend((cmd, a) => {
      if (cmd === 'import_history') return history
      if (cmd === 'import_undo') {
        history = [record(7, Date.now()), history[1]]
        return { ...record(a.id as number), undoneAt: Date.now() }
      }
      return undefined
    })
    const { wrapper } = await mountPage()
    expect(byId(wrapper, 'history-row-7').text()).toContain('上月客户.xlsx')
    expect(byId(wrapper, 'history-row-7').text()).toContain('成功 5，合并 1，跳过 0，失败 0')
    expect(byId(wrapper, 'history-undo-6').exists()).toBe(false)
    expect(byId(wrapper, 'history-undone-6').text()).toBe('已撤销')
    await click(wrapper, 'history-undo-7')
    await confirm()
    expect(argsOf('import_undo')).toEqual([{ id: 7 }])
    expect(byId(wrapper, 'history-undone-7').exists()).toBe(true)
    expect(document.body.textContent).toContain('已撤销导入：上月客户.xlsx')
    wrapper.unmount()
  })

  it('shows a file the core cannot open as a sentence chosen by its code', async () => {
    backend((cmd) => {
      if (cmd === 'import_preview') {
        throw { code: 'IMPORT', message: 'the workbook is password protected', fields: { file: 'import_password_protected' } }
      }
      return undefined
    })
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 2)
    expect(byId(wrapper, 'import-error').text()).toBe('工作簿有密码保护，请先取消密码再导入')
    expect(byId(wrapper, 'import-path').exists()).toBe(true)
    expect(byId(wrapper, 'header-detected').exists()).toBe(false)
    wrapper.unmount()
  })

  it('explains a mapping without a name column', async () => {
    backend((cmd, a) => {
      if (cmd === 'import_preview' && (a.request as { mapping?: Target[] }).mapping) {
        throw { code: 'VALIDATION', message: 'invalid input: mapping: name_unmapped', fields: { mapping: 'name_unmapped' } }
      }
      return undefined
    })
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 3)
    await click(wrapper, 'import-next')
    expect(byId(wrapper, 'import-error').text()).toBe('没有任何一列对应到「客户名称」，请在字段对应中选择')
    expect(byId(wrapper, 'mapping-table').exists()).toBe(true)
    wrapper.unmount()
  })

  it('shows progress from the channel, cancels, and says nothing was written', async () => {
    let finish: (err: unknown) => void = () => undefined
    let channel: { onmessage: (p: ImportProgress) => void } | undefined
    backend((cmd, a) => {
      if (cmd === 'import_run') {
        channel = a.onProgress as typeof channel
        return new Promise((_, reject) => { finish = reject })
      }
      return undefined
    })
    const { wrapper } = await mountPage()
    await walkTo(wrapper, 5)
    await click(wrapper, 'import-start')
    expect(byId(wrapper, 'import-running').exists()).toBe(true)
    channel!.onmessage({ done: 5000, total: 20000, rowsPerSec: 12345.6 })
    await flushPromises()
    expect(byId(wrapper, 'import-speed').text()).toBe('已处理 5000 / 20000 行 · 12346 行/秒')
    await click(wrapper, 'import-cancel')
    expect(argsOf('import_cancel')).toEqual([{}])
    finish({ code: 'CANCELLED', message: 'cancelled; nothing was changed', fields: {} })
    await flushPromises()
    expect(document.body.textContent).toContain('已取消导入，没有写入任何数据')
    expect(byId(wrapper, 'import-start').exists()).toBe(true)
    wrapper.unmount()
  })

  it('downloads the blank template and says where it went', async () => {
    backend((cmd) => (cmd === 'import_template_download' ? '/home/someone/下载/客户导入模板.xlsx' : undefined))
    const { wrapper } = await mountPage()
    await click(wrapper, 'download-template')
    expect(argsOf('import_template_download')).toEqual([{}])
    expect(document.body.textContent).toContain('导入模板已保存到：/home/someone/下载/客户导入模板.xlsx')
    wrapper.unmount()
  })

  it('opens the picked file right away', async () => {
    backend((cmd) => (cmd === 'plugin:dialog|open' ? '/data/客户.csv' : undefined))
    const { wrapper } = await mountPage()
    await click(wrapper, 'import-pick')
    await vi.waitFor(() => expect(argsOf('import_preview')).toHaveLength(1))
    const [dialog] = argsOf('plugin:dialog|open')
    expect(dialog).toMatchObject({ options: { filters: [{ name: '表格', extensions: ['xlsx', 'xlsm', 'xls', 'ods', 'csv', 'txt'] }] } })
    expect(argsOf('import_preview')[0]).toEqual({ request: { path: '/data/客户.csv', onDuplicate: 'merge' } })
    wrapper.unmount()
  })

  it('speaks English too', async () => {
    backend()
    const { wrapper } = await mountPage('en')
    expect(byId(wrapper, 'page-title').text()).toBe('Import customers')
    await walkTo(wrapper, 4)
    expect(byId(wrapper, 'preview-summary').text()).toBe('Rows: 10; with problems: 2; possible duplicates: 1')
    expect(byId(wrapper, 'issue-8-3').attributes('aria-label')).toBe('not a valid phone number (11-digit mobile, or area code-number)')
    await click(wrapper, 'import-next')
    await click(wrapper, 'import-start')
    expect(byId(wrapper, 'import-summary').text()).toBe('Imported: 8; duplicates: 2 (merged); failed: 0')
    wrapper.unmount()
  })
})
