import { baseCompile } from '@intlify/message-compiler'
import { describe, expect, it } from 'vitest'
import { messages } from '../src/i18n'
import { sections } from '../src/router'

const zhCN = messages['zh-CN'] as any
const en = messages.en as any

function keys(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('locales', () => {
  it('every locale file exists in both languages', () => {
    const zhFiles = Object.keys(import.meta.glob('../src/locales/zh-CN/*.json')).map((f) => f.split('/').pop())
    const enFiles = Object.keys(import.meta.glob('../src/locales/en/*.json')).map((f) => f.split('/').pop())
    expect(enFiles.sort()).toEqual(zhFiles.sort())
  })

  it('zh-CN and en define exactly the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
  })

  it('every message compiles: a bare @, { or | would break the screen that shows it', () => {
    for (const [lang, tree] of [['zh-CN', zhCN], ['en', en]] as const) {
      for (const key of keys(tree)) {
        const message = key.split('.').reduce((node: any, part) => node[part], tree)
        const errors: string[] = []
        baseCompile(String(message), { onError: (e) => errors.push(e.message) })
        expect(errors, `${lang} ${key}`).toEqual([])
      }
    }
  })

  it('every sidebar section has a label in both languages', () => {
    for (const s of sections) {
      expect(zhCN.nav[s.name]).toBeTruthy()
      expect(en.nav[s.name]).toBeTruthy()
    }
    expect(sections.map((s) => zhCN.nav[s.name])).toEqual(['工作台', '客户', '商机', '跟进', '报表', '设置'])
  })

  it('every error code of the core has a sentence', () => {
    const codes = [
      'VALIDATION', 'NOT_FOUND', 'CONFLICT', 'BUSY', 'DATABASE', 'MIGRATION', 'IO', 'IMPORT', 'CANCELLED', 'IPC',
      'WRONG_PASSWORD', 'PASSWORD_REQUIRED', 'TOO_MANY_TRIES', 'LEDGER_TOO_NEW',
    ]
    for (const code of codes) {
      expect(zhCN.errors.code).toHaveProperty(code)
      expect(en.errors.code).toHaveProperty(code)
    }
  })
})
