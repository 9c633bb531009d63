// The customer list in the real desktop app, timed inside the page: from the user's action
// to the rows on screen. Run through bench/ui.sh, which seeds the ledger and provides the
// display. Prints a Markdown section on stdout; progress on stderr.
//   node bench/ui.mjs DATA_HOME CUSTOMERS RUNS
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { click, find, screenshot, startDriver } from '../tests/e2e/harness.mjs'

const [dataHome, customers = '?', runsArg = '20'] = process.argv.slice(2)
if (!dataHome) {
  console.error('usage: node bench/ui.mjs DATA_HOME CUSTOMERS RUNS')
  process.exit(2)
}
const runs = Number(runsArg)
const WARMUP = 3
const log = (...args) => console.error('ui:', ...args)

// ── Processes: only the ones this run started, found by their private data dir ──────────────
function ours(name) {
  const found = spawnSync('pgrep', ['-x', name]).stdout.toString().split('\n').filter(Boolean)
  return found.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`XDG_DATA_HOME=${dataHome}`)
    } catch {
      return false
    }
  })
}

function descendants(pid) {
  const children = spawnSync('pgrep', ['-P', String(pid)]).stdout.toString().split('\n').filter(Boolean)
  return [String(pid), ...children.flatMap(descendants)]
}

function cpuTicks(pids) {
  let total = 0
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      total += Number(fields[11]) + Number(fields[12]) // utime, stime
    } catch {
      // gone
    }
  }
  return total
}

/** Waits until the app (and its web process) has been idle for two seconds in a row: at the
 * first launch on a big ledger it runs the reminder rules and the daily tag and score refresh. */
async function settle(limitMs = 300_000, idleChecks = 4) {
  const deadline = Date.now() + limitMs
  let quiet = 0
  let last = null
  while (Date.now() < deadline) {
    const pids = ours('yiben-desktop').flatMap(descendants)
    const now = cpuTicks(pids)
    // 100 ticks a second; under 3 % of one core over half a second counts as idle.
    if (last !== null && now - last <= 1) quiet += 1
    else quiet = 0
    if (quiet >= idleChecks) return
    last = now
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  log('the app never went idle; measuring anyway')
}

function endOurs() {
  for (const name of ['yiben-desktop', 'WebKitWebDriver', 'tauri-driver']) {
    for (const pid of ours(name)) spawnSync('kill', [pid])
  }
}

// ── In the page ─────────────────────────────────────────────────────────────────────────────
/** Records every IPC request (Tauri sends them with fetch to ipc://): when it left, when its
 * answer was parsed, and the answer. Reads the stores through Pinia for setting up a step. */
function probe() {
  if (window.__bench) return
  const log = []
  const fetch = window.fetch
  window.fetch = function (input, init) {
    const url = String((input && input.url) || input)
    if (!url.startsWith('ipc:')) return fetch.apply(this, arguments)
    const entry = { cmd: decodeURIComponent(url.split('/').pop()), body: init && init.body, start: performance.now() }
    log.push(entry)
    return fetch.apply(this, arguments).then((response) => {
      entry.answered = performance.now()
      const json = response.json.bind(response)
      response.json = () =>
        json().then((result) => {
          entry.parsed = performance.now()
          entry.result = result
          return result
        })
      return response
    })
  }
  const pinia = document.querySelector('#app').__vue_app__.config.globalProperties.$pinia
  window.__bench = { log, store: (id) => pinia._s.get(id) }
}

/**
 * Performs one step and resolves when its rows are on screen: a MutationObserver sees the list
 * show the answer to the step's customers_list request, then one animation frame passes.
 * `step` is { action, arg, expect }: action one of open | more | search | industry | chip | idle;
 * expect 'replace' (the list shows the answer from its top) or 'append' (the answer's rows join
 * the list, which grows by them).
 */
function measure(step, done) {
  const B = window.__bench
  const from = B.log.length
  const table = () => document.querySelector('[data-testid="customer-table"]')
  const scroller = () => table() && table().querySelector('.v-vl')
  const numbers = () =>
    [...(table() ? table().querySelectorAll('[data-testid="cell-number"]') : [])].map((e) => e.textContent)
  const grownFrom = scroller() ? scroller().scrollHeight : 0
  let request = null
  let settled = false
  const timeout = setTimeout(() => finish('timeout'), 30000)

  function matches() {
    return B.log.slice(from).filter((e) => e.cmd === 'customers_list').pop() ?? null
  }

  function check() {
    if (settled) return
    request = matches()
    if (!request || !request.result) return
    const items = request.result.items
    const shown = numbers()
    let ok
    if (step.expect === 'append') {
      ok = scroller() && scroller().scrollHeight > grownFrom
    } else if (items.length === 0) {
      ok = document.querySelector('[data-testid="customers-empty"]') !== null
    } else {
      const answer = new Set(items.map((c) => c.number))
      ok = shown.length > 0 && shown[0] === items[0].number && shown.every((n) => answer.has(n))
    }
    if (ok) finish(null)
  }

  function finish(error) {
    if (settled) return
    settled = true
    clearTimeout(timeout)
    observer.disconnect()
    const rendered = performance.now()
    requestAnimationFrame(() => {
      const frame = performance.now()
      // The count is asked beside the rows and may still be on its way: wait for it, so the
      // report can say when it showed too (the rows' figures are already taken).
      // Only a count asked with the rows (a next page asks none; an earlier one may still be
      // in the log's tail).
      const counted = () =>
        B.log.slice(from).filter((e) => e.cmd === 'customers_count' && request && e.start >= request.start - 5).pop() ?? null
      const report = () => {
        const c = counted()
        if (c && c.parsed === undefined && performance.now() - frame < 30000) return setTimeout(report, 5)
        const e = request ?? {}
        done({
          error,
          t0,
          start: e.start,
          answered: e.answered,
          parsed: e.parsed,
          rendered,
          frame,
          painted: performance.now(),
          items: e.result ? e.result.items.length : null,
          total: c ? c.result : null,
          countParsed: c ? c.parsed : undefined,
          requests: B.log.slice(from).map((x) => x.cmd),
          body: e.body,
        })
      }
      setTimeout(report, 0)
    })
  }

  const observer = new MutationObserver(check)
  observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true })

  const t0 = performance.now()
  const el = (sel) => document.querySelector(sel)
  switch (step.action) {
    case 'open':
      el('[data-testid="nav-customers"]').click()
      break
    case 'more': {
      const s = scroller()
      s.scrollTop = s.scrollHeight
      break
    }
    case 'search': {
      const input = el('[data-testid="customer-search"] input')
      input.value = step.arg
      input.dispatchEvent(new Event('input', { bubbles: true }))
      break
    }
    case 'industry': {
      const option = [...document.querySelectorAll('.n-base-select-option')].find((o) => o.textContent.trim() === step.arg)
      option.click()
      break
    }
    case 'chip':
      el(`[data-testid="quick-tag-${step.arg}"]`).click()
      break
  }
}

// ── The run ─────────────────────────────────────────────────────────────────────────────────
const driver = await startDriver(dataHome)
let session
const results = {}
const ipc = {}
let quickChips = []
try {
  log(`launching the app on ${customers} customers`)
  session = await driver.session()
  await session.manage().setTimeouts({ script: 60_000 })
  const settling = Date.now()
  await settle()
  log(`idle after ${((Date.now() - settling) / 1000).toFixed(0)} s`)
  await session.executeScript(`(${probe})()`)

  const record = (name, r) => {
    if (r.error) throw new Error(`${name}: ${r.error} (${JSON.stringify(r)})`)
    ;(results[name] ??= []).push(r)
  }
  // Each step starts with the app at rest: every earlier request answered (opening 客户 also
  // reloads the tags with their counts, seconds of work on a big ledger) and no CPU in use.
  const rest = async () => {
    await session.executeAsyncScript(
      `const done = arguments[arguments.length - 1]
       const poll = () => (window.__bench.log.every((e) => e.answered !== undefined) ? done() : setTimeout(poll, 50))
       poll()`,
    )
    await settle(60_000, 2)
  }
  const step = async (s) => {
    await rest()
    return session.executeAsyncScript(`(${measure})(arguments[0], arguments[arguments.length - 1])`, s)
  }
  const repeat = async (name, times, body) => {
    log(name)
    for (let i = 0; i < WARMUP + times; i++) {
      let r
      try {
        r = await body()
      } catch (err) {
        log(`${name}, run ${i + 1}: ${err.name} ${err.message}; app running: ${ours('yiben-desktop').length > 0}`)
        await screenshot(session, `bench-ui-failed-${name.replace(/[^a-z]+/gi, '-')}`).catch(() => undefined)
        throw err
      }
      if (i >= WARMUP) record(name, r)
    }
    const request = results[name].map((r) => r.frame - r.start).sort((a, b) => a - b)
    const parts = (r) => [r.start - r.t0, r.parsed - r.start, r.rendered - r.parsed, r.frame - r.rendered].map((x) => x.toFixed(0)).join('+')
    log(`  request → rows ${request.map((x) => x.toFixed(0)).join(' ')} ms (wait+ipc+render+frame: ${results[name].map(parts).join(', ')})`)
  }
  // The store exists once 客户 has been opened; before that there is nothing cached anyway.
  const storeReset = `const s = window.__bench.store('customers'); if (s) { s.items = []; s.loaded = false; s.total = 0; s.nextCursor = null }`

  // 1. Opening 客户 with nothing cached, as on the first visit after launch.
  await repeat('open', runs, async () => {
    await click(session, 'nav-settings')
    await find(session, 'page-title')
    await session.executeScript(storeReset)
    await session.sleep(300)
    return step({ action: 'open', expect: 'replace' })
  })

  // 2. The next page: scrolling the list to its end, which asks for more.
  await repeat('more', runs, async () => {
    // Back to the top with the first page only, so the next scroll to the end asks again.
    await session.executeScript(
      `document.querySelector('[data-testid="customer-table"] .v-vl').scrollTop = 0
       return window.__bench.store('customers').reload()`,
    )
    await session.sleep(300)
    return step({ action: 'more', expect: 'append' })
  })
  // The searches and filters start from the top of the unfiltered list, as after opening it.
  await session.executeScript(
    `document.querySelector('[data-testid="customer-table"] .v-vl').scrollTop = 0
     return window.__bench.store('customers').reload()`,
  )
  await session.sleep(300)

  // 3. A search typed (pasted) into the search box, each from the unfiltered list.
  for (const text of ['恒达精密', '13812', 'hdjm', '恒达']) {
    await repeat(`search:${text}`, runs, async () => {
      const r = await step({ action: 'search', arg: text, expect: 'replace' })
      await step({ action: 'search', arg: '', expect: 'replace' })
      return r
    })
  }

  // 4. Filters: an industry picked in the select, a quick tag chip.
  await click(session, 'industry-filter')
  await session.wait(async () => (await session.findElements({ css: '.n-base-select-option' })).length > 0, 10000)
  await repeat('industry:制造业', runs, async () => {
    const r = await step({ action: 'industry', arg: '制造业', expect: 'replace' })
    await step({ action: 'industry', arg: '制造业', expect: 'replace' })
    return r
  })
  await session.executeScript(`document.activeElement && document.activeElement.blur(); document.body.click()`)
  await click(session, 'page-title')

  quickChips = await session.executeScript(
    `return [...document.querySelectorAll('[data-testid^="quick-tag-"]')].map((e) => [e.dataset.testid.slice(10), e.textContent.trim()])`,
  )
  for (const [id, name] of [quickChips[0], quickChips[quickChips.length - 1]].filter(Boolean)) {
    await repeat(`chip:${name}`, runs, async () => {
      const r = await step({ action: 'chip', arg: id, expect: 'replace' })
      await step({ action: 'chip', arg: id, expect: 'replace' })
      return r
    })
  }

  // Where the time goes: each step's own requests sent again straight over IPC, the rows and
  // (for a first page) the count the list asks for beside them; and the smallest request, for
  // the IPC's own cost.
  log('the same requests straight over IPC')
  const direct = (query, command = 'customers_list') =>
    session.executeAsyncScript(
      `const [query, runs, command, done] = arguments
       const out = []
       ;(async () => {
         for (let i = 0; i < runs + 3; i++) {
           const t = performance.now()
           await window.__TAURI_INTERNALS__.invoke(command, { query })
           if (i >= 3) out.push(performance.now() - t)
         }
         done(out)
       })()`,
      query,
      runs,
      command,
    )
  const first = JSON.parse(results.open[0].body).query
  ipc['1 row, no count'] = { rows: await direct({ ...first, limit: 1, withTotal: false }) }
  for (const [name, rs] of Object.entries(results)) {
    const query = JSON.parse(rs[0].body).query
    ipc[name] = { rows: await direct({ ...query, withTotal: false }) }
    if (rs[0].countParsed !== undefined) ipc[name].count = await direct(query, 'customers_count')
  }
} finally {
  if (session) {
    // The harness's quit also ends every app by name; end only ours, by pid.
    await Object.getPrototypeOf(session).quit.call(session).catch(() => undefined)
  }
  endOurs()
}

// ── Report ──────────────────────────────────────────────────────────────────────────────────
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.round((s.length - 1) * p)]
}
const f = (x) => (x === undefined || Number.isNaN(x) ? '—' : `${x.toFixed(1)} ms`)
const both = (xs) => `${f(pct(xs, 0.5))} / ${f(pct(xs, 0.95))}`

const labels = {
  open: 'Open 客户 (first page, nothing cached)',
  more: 'Next page (scroll to the end of the list)',
  'search:恒达精密': 'Search 恒达精密',
  'search:13812': 'Search 13812 (phone fragment)',
  'search:hdjm': 'Search hdjm (pinyin initials)',
  'search:恒达': 'Search 恒达 (2 characters)',
  'industry:制造业': 'Filter: industry 制造业 picked in the select',
}
for (const [, name] of quickChips) labels[`chip:${name}`] = `Filter: quick tag chip ${name}`

const out = []
out.push(`### Desktop app: customer list, request → rows on screen (release build, ${customers} customers, ${runs} runs each)`)
out.push('')
out.push('Timed inside the page (`bench/ui.sh`): `performance.now()` at the action, the IPC request and answer seen at')
out.push('`fetch`, the rows seen by a `MutationObserver`, then one animation frame. Figures are p50 / p95.')
out.push('The rows and the count are two requests sent together; the rows do not wait for the count.')
out.push('')
out.push('| Action | Matches | Request → rows on screen | Action → rows | IPC + core | Answer → rows rendered | Request → count shown | Target |')
out.push('|---|---|---|---|---|---|---|---|')
for (const [name, rs] of Object.entries(results)) {
  const request = rs.map((r) => r.frame - r.start)
  const action = rs.map((r) => r.frame - r.t0)
  const core = rs.map((r) => r.parsed - r.start)
  const render = rs.map((r) => r.rendered - r.parsed)
  const total = rs[0].total ?? ''
  const counted = rs.filter((r) => r.countParsed !== undefined).map((r) => r.countParsed - r.start)
  const count = counted.length ? both(counted) : ''
  out.push(`| ${labels[name] ?? name} | ${total} | ${both(request)} | ${both(action)} | ${both(core)} | ${both(render)} | ${count} | ≤ 100 ms |`)
}
out.push('')
out.push('The search box waits 150 ms after the last keystroke before it asks (a debounce), so "action → rows"')
out.push('for a search includes it; "request → rows" starts when the request leaves.')
out.push('')
out.push('Each step\'s `customers_list` request sent again straight over IPC from the page (p50 / p95):')
out.push('')
out.push('| Request | Rows (`customers_list`) | Count (`customers_count`, asked beside a first page) |')
out.push('|---|---|---|')
for (const [name, row] of Object.entries(ipc)) {
  out.push(`| ${labels[name] ?? name} | ${both(row.rows)} | ${row.count ? both(row.count) : ''} |`)
}
console.log(out.join('\n'))
if (process.env.UI_BENCH_RAW) console.error(JSON.stringify(results))
