import { afterEach, describe, expect, it } from 'vitest'
import { clearMocks } from '@tauri-apps/api/mocks'
import FollowupMethodsCard from '../src/components/settings/FollowupMethodsCard.vue'
import { backend, byTestId, clickTestId, methods, mountWith, typeInto, type Handler } from './support'

afterEach(() => {
  clearMocks()
  document.body.innerHTML = ''
})

function serve(handle: Handler = () => null) {
  return backend((cmd, args) => (cmd === 'followup_methods' ? methods : handle(cmd, args)))
}

describe('FollowupMethodsCard', () => {
  it('lists built-in methods by their translated name and the user’s own by theirs, with the templates', async () => {
    serve()
    await mountWith(FollowupMethodsCard, {}, 'en')
    expect(byTestId('method-phone')!.textContent).toContain('Phone')
    expect(byTestId('method-template-text-phone')!.textContent).toBe('Discussed:\nCustomer feedback:\nNext step:')
    expect(byTestId('method-展会')!.textContent).toContain('展会')
    expect(byTestId('method-template-text-展会')!.textContent).toBe('展位：\n聊到：')
  })

  it('adds a method with its template', async () => {
    const calls = serve((cmd, args) => (cmd === 'followup_method_add' ? { id: 9, code: null, name: args.name, template: args.template } : null))
    await mountWith(FollowupMethodsCard)
    await typeInto('method-name-input', '上门演示')
    await typeInto('method-template-input', '演示内容：')
    await clickTestId('method-add')
    expect(calls.at(-1)).toEqual(['followup_method_add', { name: '上门演示', template: '演示内容：' }])
    expect(byTestId('method-上门演示')).not.toBeNull()
  })

  it('a taken name is marked on the name', async () => {
    serve(() => {
      throw { code: 'CONFLICT', message: 'conflict', fields: { name: 'taken' } }
    })
    await mountWith(FollowupMethodsCard)
    await typeInto('method-name-input', '电话')
    await clickTestId('method-add')
    expect(byTestId('method-error-name')!.textContent).toBe('已被占用')
  })

  it('edits a built-in method’s quick template, keeping its name', async () => {
    const calls = serve((cmd, args) => (cmd === 'followup_method_update' ? { ...methods[0], template: args.template } : null))
    await mountWith(FollowupMethodsCard)
    await clickTestId('method-edit-phone')
    await typeInto('method-template-phone', '要点：')
    await clickTestId('method-save-phone')
    expect(calls.at(-1)).toEqual(['followup_method_update', { id: 1, name: '电话', template: '要点：' }])
    expect(byTestId('method-template-text-phone')!.textContent).toBe('要点：')
  })
})
