// Drives the real app binary (real Rust, real SQLite) through tauri-driver.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Builder, By, Key, until } from 'selenium-webdriver'

const here = path.dirname(fileURLToPath(import.meta.url))
export const screenshotDir = path.join(here, 'screenshots')
mkdirSync(screenshotDir, { recursive: true })

export const appBinary =
  process.env.YIBEN_APP ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(here, '..', '..', 'target'), 'debug', 'yiben-desktop')

/** The command-line tool next to the app binary, for seeding a ledger and reading it back. */
const cli = process.env.YIBEN_CLI ?? path.join(path.dirname(appBinary), 'yiben')

export function yiben(db, args) {
  return JSON.parse(execFileSync(cli, ['--db', db, ...args, '--json']).toString())
}

/** The ledger the app opens under a driver's private data dir. */
export const ledgerOf = (driver) => path.join(driver.dataHome, 'cn.yiben.crm', 'yiben.db')

/** A local calendar day `offset` days from today: 2026-03-05. */
export function day(offset) {
  const d = new Date(Date.now() + offset * 86_400_000)
  const pad = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

function waitForPort(port, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => { socket.end(); resolve() })
      socket.once('error', () => {
        socket.destroy()
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`))
        else setTimeout(attempt, 100)
      })
    }
    attempt()
  })
}

/** Ends every running app instance and waits until none is left. */
export async function endApps() {
  spawnSync('pkill', ['-x', 'yiben-desktop'])
  for (let i = 0; i < 50; i++) {
    if (spawnSync('pgrep', ['-x', 'yiben-desktop']).status !== 0) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  spawnSync('pkill', ['-9', '-x', 'yiben-desktop'])
}

let nextPort = 4444 + (process.pid % 200) * 2

/** A private data dir (XDG_DATA_HOME) and a tauri-driver whose app sessions all use it;
 * `extraEnv` adds to the app's environment (e.g. XDG_CONFIG_HOME for the downloads folder). */
export async function startDriver(dataHome = mkdtempSync(path.join(os.tmpdir(), 'yiben-e2e-')), extraEnv = {}) {
  const port = nextPort
  nextPort += 2
  const env = { ...process.env, XDG_DATA_HOME: dataHome, ...extraEnv }
  delete env.YIBEN_DB
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  await waitForPort(port)
  return {
    dataHome,
    env,
    async session() {
      const session = await new Builder()
        .usingServer(`http://127.0.0.1:${port}/`)
        .withCapabilities({ browserName: 'wry', 'tauri:options': { application: appBinary } })
        .build()
      await session.wait(until.elementLocated(By.css('[data-testid="page-title"]')), 30000)
      // Closing the window only hides the app to the tray (reminders keep firing), so a
      // session's end leaves it running, and the next launch would hand over to it as the
      // single instance. End it for real.
      const quit = session.quit.bind(session)
      session.quit = async () => {
        try {
          await quit()
        } finally {
          await endApps()
        }
      }
      return session
    },
    stop() {
      driver.kill()
      spawnSync('pkill', ['-x', 'yiben-desktop'])
    },
  }
}

export const byTestId = (id) => By.css(`[data-testid="${id}"]`)

export async function find(session, id, timeout = 10000) {
  // Vue may replace the element between finding it and asking whether it is shown: look again.
  let found
  await session.wait(async () => {
    try {
      const el = await session.findElement(byTestId(id))
      if (!(await el.isDisplayed())) return false
      found = el
      return true
    } catch (err) {
      if (['NoSuchElementError', 'StaleElementReferenceError'].includes(err?.name)) return false
      throw err
    }
  }, timeout, `[data-testid=${id}] never showed`)
  return found
}

/**
 * Clicks an element by test id, waiting out transitions: a modal still scaling in or a
 * toast fading out makes WebKit refuse the click for a moment.
 */
export async function click(session, id, timeout = 5000) {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      await (await find(session, id)).click()
      return
    } catch (err) {
      const transient = ['ElementNotInteractableError', 'ElementClickInterceptedError', 'StaleElementReferenceError']
      if (!transient.includes(err?.name) || Date.now() > deadline) throw err
      await session.sleep(150)
    }
  }
}

/**
 * Clicks a button whose effect is the element `shownId` appearing, clicking again when it has
 * not appeared: under load WebKit sometimes swallows a click that lands while a dialog settles.
 * Only for buttons a second press cannot harm (a save that stops at a duplicate warning).
 */
export async function clickUntilShown(session, id, shownId, attempts = 3) {
  for (let i = 1; ; i += 1) {
    await click(session, id)
    try {
      return await find(session, shownId, 4000)
    } catch (err) {
      if (i >= attempts) throw err
    }
  }
}

export async function text(session, id) {
  return (await find(session, id)).getText()
}

export async function waitForText(session, id, expected, timeout = 10000) {
  await session.wait(async () => {
    try {
      const value = await (await session.findElement(byTestId(id))).getText()
      return typeof expected === 'string' ? value === expected : expected.test(value)
    } catch {
      return false
    }
  }, timeout, `[data-testid=${id}] never showed ${expected}`)
}

/** Types into a Naive UI input, whose <input> sits inside the element carrying the test id. */
export async function type(session, id, value, timeout = 5000) {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      const input = await (await find(session, id)).findElement(By.css('input, textarea'))
      // WebDriver's clear() sets the value without an input event, so Vue never sees it:
      // select everything and delete it the way a person would. A retry starts over.
      await input.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE)
      if (value) await input.sendKeys(value)
      return
    } catch (err) {
      // A field re-rendered under the keys (a dialog opening) is found again.
      const transient = ['StaleElementReferenceError', 'ElementNotInteractableError']
      if (!transient.includes(err?.name) || Date.now() > deadline) throw err
      await session.sleep(150)
    }
  }
}

/** Opens a Naive UI select and clicks the option whose text contains `optionText`. */
export async function choose(session, id, optionText) {
  await (await find(session, id)).click()
  const option = await session.wait(
    until.elementLocated(By.xpath(`//div[contains(@class,'n-base-select-option') and contains(., '${optionText}')]`)),
    10000,
  )
  // A long list shows only its top; bring the option into its scroll box first.
  await session.executeScript('arguments[0].scrollIntoView({ block: "center" })', option)
  await session.wait(until.elementIsVisible(option), 10000)
  await option.click()
}

export async function screenshot(session, name) {
  // Let transitions (modal, message toasts) settle so the picture shows the steady state.
  await session.sleep(400)
  writeFileSync(path.join(screenshotDir, `${name}.png`), await session.takeScreenshot(), 'base64')
}

/** Clicks a button inside the customer dialog and waits until the dialog has gone. */
export async function closeDialogWith(session, buttonId) {
  const dialog = await find(session, 'customer-dialog')
  await click(session, buttonId)
  await session.wait(until.stalenessOf(dialog), 10000).catch(async (err) => {
    await screenshot(session, `failed-close-${buttonId}`)
    throw err
  })
  // The mask fades out after the card; wait until nothing covers the page.
  await session.wait(async () => (await session.findElements(By.css('.n-modal-mask'))).length === 0, 10000)
}

/** Waits until the list shows exactly these names (virtual rows render a frame later). */
export async function waitForRows(session, expected, timeout = 10000) {
  let last
  await session
    .wait(async () => {
      try {
        last = await rowNames(session)
      } catch (err) {
        // The rows were replaced while being read (a newer answer arrived): read them again.
        if (err?.name === 'StaleElementReferenceError') return false
        throw err
      }
      return JSON.stringify(last) === JSON.stringify(expected)
    }, timeout)
    .catch(() => {
      throw new Error(`rows were ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`)
    })
}

export async function rowNames(session) {
  const cells = await session.findElements(byTestId('customer-row-name'))
  return Promise.all(cells.map((c) => c.getText()))
}

/** A subtest that leaves a screenshot behind when it fails, named after the step. */
export async function step(t, session, name, body) {
  await t.test(name, async () => {
    try {
      await body()
    } catch (err) {
      const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)
      await screenshot(session(), `failed-${slug}`).catch(() => undefined)
      throw err
    }
  })
}

/** Checks a Naive UI radio or checkbox and waits until it is checked: under load a click can
 * land while the dialog is still rendering and be lost. Radios never toggle off, so retrying is safe. */
export async function check(session, id, timeout = 5000) {
  await session.wait(
    () =>
      session.executeScript(
        `const el = document.querySelector('[data-testid="${id}"]')
         if (!el) return false
         const input = el.matches('input') ? el : el.querySelector('input')
         if (!input.checked) el.click()
         return input.checked`,
      ),
    timeout,
    `[data-testid=${id}] never became checked`,
  )
}
