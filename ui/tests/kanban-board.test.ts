import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import KanbanBoard from '../src/components/deals/KanbanBoard.vue'
import { makeI18n } from '../src/i18n'
import type { BoardColumn, Deal, Stage } from '../src/ipc'

function stage(id: number, code: string, name: string, kind: Stage['kind'] = 'open'): Stage {
  return { id, code, name, position: id, probability: 10 * id, kind, avgStayDays: null, stayCount: 0, stayMs: 0 }
}

function deal(id: number, stageId: number, extra: Partial<Deal> = {}): Deal {
  return {
    id, uid: `u${id}`, customerId: 1, customerName: '科技有限公司', name: `商机${id}`, amountFen: 30_000_000,
    closeDate: '2026-11-30', daysLeft: 47, probability: 50, probabilityOverride: null, owner: '王经理', stageId,
    stageAt: '2026-10-14T01:00:00Z', lostReason: null, lostNote: null, notes: null, feedback: {},
    createdAt: '2026-10-14T01:00:00Z', updatedAt: '2026-10-14T01:00:00Z', deletedAt: null,
    lastContactAt: '2026-10-14T01:00:00Z', stalled: [], ...extra,
  }
}

const lead = stage(1, 'lead', '潜在客户')
const qualified = stage(2, 'qualified', '意向客户')
const lost = stage(6, 'lost', '流失', 'lost')
const columns: BoardColumn[] = [
  { stage: lead, count: 1, amountFen: 30_000_000, weightedFen: 3_000_000, deals: [deal(7, 1)], nextCursor: null },
  { stage: qualified, count: 41, amountFen: 0, weightedFen: 0, deals: [deal(8, 2, { stalled: ['no_contact', 'overdue'], daysLeft: -3 })], nextCursor: '[1,8]' },
  { stage: lost, count: 0, amountFen: 0, weightedFen: 0, deals: [], nextCursor: null },
]

function pointer(type: string, x: number, y: number) {
  return new PointerEvent(type, { clientX: x, clientY: y, button: 0, bubbles: true })
}

afterEach(() => {
  document.body.innerHTML = ''
  vi.restoreAllMocks()
})

describe('KanbanBoard', () => {
  const mountBoard = (locale: 'zh-CN' | 'en' = 'zh-CN') =>
    mount(KanbanBoard, { props: { columns }, global: { plugins: [makeI18n(locale)] }, attachTo: document.body })

  it('shows each stage with its count, amount and the cards with their flags', () => {
    const w = mountBoard()
    expect(w.find('[data-testid="kanban-count-2"]').text()).toBe('41')
    expect(w.find('[data-testid="kanban-amount-1"]').text()).toContain('30万')
    expect(w.find('[data-testid="deal-card-7"]').text()).toContain('还剩 47 天')
    expect(w.find('[data-testid="deal-card-8"]').text()).toContain('已逾期 3 天')
    expect(w.find('[data-testid="deal-stalled-8"]').text()).toContain('久未跟进')
    expect(w.find('[data-testid="kanban-more-2"]').text()).toContain('40')
  })

  it('reads in English', () => {
    const w = mountBoard('en')
    expect(w.find('[data-testid="kanban-column-lead"]').text()).toContain('Lead')
    expect(w.find('[data-testid="deal-stalled-8"]').text()).toContain('No contact')
  })

  it('drags a card with the pointer to another column', async () => {
    const w = mountBoard()
    const target = w.find('[data-testid="kanban-column-qualified"]').element
    vi.spyOn(document, 'elementFromPoint').mockReturnValue(target)
    const card = w.find('[data-testid="deal-card-7"]').element
    card.dispatchEvent(pointer('pointerdown', 10, 10))
    window.dispatchEvent(pointer('pointermove', 40, 12))
    await flushPromises()
    expect(w.find('[data-testid="drag-ghost"]').exists()).toBe(true)
    expect(target.className).toContain('over')
    window.dispatchEvent(pointer('pointerup', 40, 12))
    await flushPromises()
    expect(w.emitted('move')).toEqual([[columns[0].deals[0], qualified]])
    expect(w.find('[data-testid="drag-ghost"]').exists()).toBe(false)
  })

  it('a press without movement is a click that opens the deal, not a move', async () => {
    const w = mountBoard()
    const card = w.find('[data-testid="deal-card-7"]')
    card.element.dispatchEvent(pointer('pointerdown', 10, 10))
    window.dispatchEvent(pointer('pointermove', 12, 11))
    window.dispatchEvent(pointer('pointerup', 12, 11))
    await card.trigger('click')
    expect(w.emitted('move')).toBeUndefined()
    expect(w.emitted('open')).toEqual([[columns[0].deals[0]]])
  })

  it('dropping back on its own column does nothing', async () => {
    const w = mountBoard()
    vi.spyOn(document, 'elementFromPoint').mockReturnValue(w.find('[data-testid="kanban-column-lead"]').element)
    w.find('[data-testid="deal-card-7"]').element.dispatchEvent(pointer('pointerdown', 10, 10))
    window.dispatchEvent(pointer('pointermove', 60, 10))
    window.dispatchEvent(pointer('pointerup', 60, 10))
    await flushPromises()
    expect(w.emitted('move')).toBeUndefined()
  })

  it('Enter on a focused card opens it (keyboard users)', async () => {
    const w = mountBoard()
    await w.find('[data-testid="deal-card-8"]').trigger('keydown', { key: 'Enter' })
    expect(w.emitted('open')).toEqual([[columns[1].deals[0]]])
  })

  it('asks for the next page of a column', async () => {
    const w = mountBoard()
    await w.find('[data-testid="kanban-more-2"]').trigger('click')
    expect(w.emitted('more')).toEqual([[2]])
  })
})
