// Every command the window calls is granted to it. Tauri refuses an app command that the
// capability does not grant, and that refusal would only show up in the running window;
// src-tauri/build.rs checks the other half (every registered command has a permission).
import { describe, expect, it } from 'vitest'

const raw = (files: Record<string, unknown>) => Object.values(files) as string[]
const sources = raw(
  import.meta.glob(['../src/**/*.ts', '../src/**/*.vue', '!../src/bindings/**'], { query: '?raw', import: 'default', eager: true }),
)
const [permissionsToml] = raw(import.meta.glob('../../src-tauri/permissions/app.toml', { query: '?raw', import: 'default', eager: true }))
const [capabilityJson] = raw(import.meta.glob('../../src-tauri/capabilities/default.json', { query: '?raw', import: 'default', eager: true }))
const capability = JSON.parse(capabilityJson) as { windows: string[]; permissions: string[] }

/** The commands named in `call('…')` / `invoke('…')` anywhere in the window's code. */
function calledCommands(): Set<string> {
  const names = new Set<string>()
  for (const source of sources) {
    for (const m of source.matchAll(/\b(?:call|invoke)(?:<[^(]*?>)?\(\s*'([a-z_]+)'/g)) names.add(m[1])
  }
  return names
}

/** Each app permission's identifier → the commands it allows. */
function permissions(): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const block of permissionsToml.split('[[permission]]').slice(1)) {
    const id = /identifier = "([^"]+)"/.exec(block)?.[1]
    const allow = /commands\.allow = \[([^\]]*)\]/.exec(block)?.[1]
    if (id && allow) out.set(id, [...allow.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]))
  }
  return out
}

describe('the capability of the main window', () => {
  it('grants every command the window calls', () => {
    const byId = permissions()
    const granted = new Set(capability.permissions.flatMap((p) => byId.get(p) ?? []))
    const called = calledCommands()
    expect(called.size).toBeGreaterThan(100)
    expect([...called].filter((c) => !granted.has(c)).sort()).toEqual([])
  })

  it('names only permissions that exist, for the main window alone', () => {
    const byId = permissions()
    expect(capability.windows).toEqual(['main'])
    expect(capability.permissions.filter((p) => !p.includes(':') && !byId.has(p))).toEqual([])
  })

  it('takes nothing from Tauri or its plugins beyond events and the open dialog', () => {
    expect(capability.permissions.filter((p) => p.includes(':')).sort()).toEqual([
      'core:event:allow-listen',
      'core:event:allow-unlisten',
      'dialog:allow-open',
    ])
  })
})
