import type { Customer, CustomerInput } from './ipc'

/** 3000000 fen → "30000", 3000050 → "30000.50": the text the core parses back exactly. */
export function fenToYuanText(fen: number): string {
  const yuan = Math.trunc(fen / 100)
  const rest = Math.abs(fen % 100)
  return rest === 0 ? String(yuan) : `${yuan}.${String(rest).padStart(2, '0')}`
}

/** The input that saves a customer unchanged: the start of every edit. */
export function toInput(c: Customer): CustomerInput {
  return {
    kind: c.kind,
    number: c.number ?? undefined,
    name: c.name,
    industry: c.industryCode ?? undefined,
    employees: c.employees === null ? undefined : String(c.employees),
    revenue: c.revenueFen === null ? undefined : fenToYuanText(c.revenueFen),
    region: c.region ?? undefined,
    address: c.address ?? undefined,
    source: c.source ?? undefined,
    firstContact: c.firstContact ?? undefined,
    owner: c.owner ?? undefined,
    grade: c.grade ?? undefined,
    stage: c.stage ?? undefined,
    needs: c.needs ?? undefined,
    notes: c.notes ?? undefined,
    phone: c.phone ?? undefined,
    email: c.email ?? undefined,
    contacts: c.contacts.map((k) => ({
      id: k.id,
      name: k.name,
      title: k.title ?? undefined,
      phones: [...k.phones],
      wechat: k.wechat ?? undefined,
      email: k.email ?? undefined,
      decisionMaker: k.decisionMaker,
      role: k.role ?? undefined,
    })),
    custom: { ...c.custom },
  }
}

export function emptyInput(): CustomerInput {
  return { kind: 'org', name: '', contacts: [], custom: {} }
}
