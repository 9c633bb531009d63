import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import {
  byTestId, click, endApps, find, ledgerOf, screenshot, startDriver, step, text, type, waitForRows, waitForText, yiben,
} from './harness.mjs'

const FIRST = 'Yiben-2026 本子'
const SECOND = '换了的密码 Two-2026'

let driver
before(async () => {
  driver = await startDriver()
})
after(() => driver?.stop())

/** The command-line tool with a password (for an encrypted ledger) or without; `extra` adds
 * to its environment (YIBEN_NEW_PASSWORD). */
function cli(db, args, password, extra = {}) {
  const env = { YIBEN_PASSWORD: password, ...extra }
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  try {
    return yiben(db, args)
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

async function waitFor(check, timeout, what) {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      if (await check()) return
    } catch {
      // Not yet.
    }
    if (Date.now() > deadline) throw new Error(`${what} never happened`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

const SQLITE_HEADER = 'SQLite format 3\0'
const plainOnDisk = (db) => readFileSync(db).subarray(0, 16).toString('latin1') === SQLITE_HEADER

async function locked(app) {
  await find(app, 'lock-screen', 30000)
  assert.equal((await app.findElements(byTestId('nav-customers'))).length, 0, 'no page shows behind the lock screen')
}

async function unlock(app, password) {
  await type(app, 'lock-password', password)
  await click(app, 'lock-unlock')
  await find(app, 'nav-customers', 30000)
  assert.equal((await app.findElements(byTestId('lock-screen'))).length, 0)
}

async function openCard(app) {
  await click(app, 'nav-settings')
  const card = await find(app, 'encryption-card')
  await app.executeScript('arguments[0].scrollIntoView({ block: "start" })', card)
  await find(app, 'encryption-status')
}

async function settingsCardShot(app, name) {
  const card = await find(app, 'encryption-card')
  await app.executeScript('arguments[0].scrollIntoView({ block: "start" })', card)
  await screenshot(app, name)
}

test('encryption on in 设置, the lock screen at the next start, lock now, the idle lock, a new password, and off again', async (t) => {
  const db = ledgerOf(driver)
  cli(db, ['customers', 'add', '--name', '华信科技有限公司', '--phone', '13812345678'])
  cli(db, ['customers', 'add', '--name', '万家超市'])
  const listed = ['万家超市', '华信科技有限公司']
  let app = await driver.session()

  await step(t, () => app, '设置 turns encryption on with the password twice', async () => {
    await waitForText(app, 'page-title', '工作台')
    await openCard(app)
    assert.equal(await text(app, 'encryption-status'), '未加密')
    await settingsCardShot(app, 'zh-encryption-card-off')
    await click(app, 'encryption-on-open')
    assert.match(await text(app, 'encryption-warning'), /密码一旦遗失，账本和加密备份都无法恢复/)
    await type(app, 'encryption-new', FIRST)
    await type(app, 'encryption-again', FIRST)
    assert.equal(await text(app, 'encryption-strength'), '强度：强')
    await settingsCardShot(app, 'zh-encryption-card-turning-on')
    await click(app, 'encryption-on-confirm')
    await waitForText(app, 'encryption-status', /^已加密/, 60000)
    assert.match(await text(app, 'encryption-cipher'), /sqlcipher-4 aes-256-cbc hmac-sha512 · argon2id/)
    await settingsCardShot(app, 'zh-encryption-card-on')
    assert.equal(plainOnDisk(db), false, 'the file on disk is no longer a plain SQLite file')
    assert.equal(cli(db, ['encryption', 'status']).encrypted, true)
  })
  await app.quit()

  app = await driver.session()
  await step(t, () => app, 'relaunched: only the lock screen, and a wrong password shows nothing', async () => {
    await locked(app)
    assert.equal(await text(app, 'page-title'), '一本账 CRM')
    await screenshot(app, 'zh-lock-screen')
    // Commands other than the lock screen's are refused before they run.
    for (const command of ['language_get', 'customers_list', 'backup_now']) {
      const answer = await app.executeAsyncScript(
        `const done = arguments[arguments.length - 1]
         window.__TAURI_INTERNALS__.invoke('${command}', {}).then(() => done('answered'), (e) => done(e?.code ?? String(e)))`,
      )
      assert.equal(answer, 'PASSWORD_REQUIRED', command)
    }
    await type(app, 'lock-password', '不是这个密码')
    await click(app, 'lock-unlock')
    await waitForText(app, 'lock-error', '密码不正确，请重新输入。', 30000)
    await locked(app)
    await screenshot(app, 'zh-lock-screen-wrong')
  })

  await step(t, () => app, 'the right password opens the ledger: the customers are there', async () => {
    await unlock(app, FIRST)
    await click(app, 'nav-customers')
    await waitForRows(app, listed)
  })

  await step(t, () => app, '锁定 locks at once; the lock screen in English; unlocking keeps the language', async () => {
    await click(app, 'nav-lock')
    await locked(app)
    await click(app, 'lang-en')
    await waitForText(app, 'lock-unlock', 'Unlock')
    await type(app, 'lock-password', 'nope')
    await click(app, 'lock-unlock')
    await waitForText(app, 'lock-error', 'Wrong password. Please try again.', 30000)
    await screenshot(app, 'en-lock-screen')
    await unlock(app, FIRST)
    await click(app, 'nav-customers')
    await waitForText(app, 'page-title', 'Customers')
    await waitForRows(app, listed)
    await openCard(app)
    assert.match(await text(app, 'encryption-status'), /^Encrypted/)
    await settingsCardShot(app, 'en-encryption-card-on')
  })

  await step(t, () => app, 'the idle lock: 0.1 minutes without input locks the window', async () => {
    await type(app, 'encryption-idle', '0.1')
    await click(app, 'encryption-idle-save')
    const saved = Date.now()
    await locked(app)
    const waited = (Date.now() - saved) / 1000
    assert.ok(waited >= 5, `locked after ${waited} s, before the idle time`)
    assert.ok(waited < 20, `locked after ${waited} s`)
    t.diagnostic(`idle lock after ${waited.toFixed(1)} s (idle time 6 s, checked every 1 s)`)
    await unlock(app, FIRST)
    await openCard(app)
    await type(app, 'encryption-idle', '0')
    await click(app, 'encryption-idle-save')
  })

  await step(t, () => app, 'a new password: the old one no longer opens the ledger', async () => {
    await click(app, 'encryption-change-open')
    await type(app, 'encryption-current', FIRST)
    await type(app, 'encryption-new', SECOND)
    await type(app, 'encryption-again', SECOND)
    await click(app, 'encryption-change-confirm')
    // The form closes once the ledger is re-encrypted; until then the card's buttons are off.
    await app.wait(async () => (await app.findElements(byTestId('encryption-form'))).length === 0, 60000, 'the change never ended')
    await click(app, 'lock-now')
    await locked(app)
    await type(app, 'lock-password', FIRST)
    await click(app, 'lock-unlock')
    await waitForText(app, 'lock-error', 'Wrong password. Please try again.', 30000)
    await unlock(app, SECOND)
    assert.deepEqual(cli(db, ['customers', 'list'], SECOND).items.map((c) => c.name).sort(), listed.slice().sort())
  })

  await step(t, () => app, 'turned off with the password', async () => {
    await openCard(app)
    await click(app, 'encryption-off-open')
    await type(app, 'encryption-current', SECOND)
    await click(app, 'encryption-off-confirm')
    await waitForText(app, 'encryption-status', 'Not encrypted', 60000)
    assert.equal(plainOnDisk(db), true)
  })
  await app.quit()

  app = await driver.session()
  await step(t, () => app, 'relaunched without a password: the customers at once', async () => {
    await find(app, 'nav-customers')
    assert.equal((await app.findElements(byTestId('lock-screen'))).length, 0)
    await click(app, 'nav-customers')
    await waitForRows(app, listed)
    assert.equal(cli(db, ['customers', 'list']).items.length, 2)
  })
  await app.quit()
})

test('a damaged encrypted ledger: the password first, then the recovery screen restores its encrypted backup', async (t) => {
  const second = await startDriver()
  try {
    const db = ledgerOf(second)
    cli(db, ['customers', 'add', '--name', '华信科技有限公司'])
    cli(db, ['customers', 'add', '--name', '万家超市'])
    cli(db, ['encryption', 'on'], undefined, { YIBEN_NEW_PASSWORD: FIRST })
    cli(db, ['backup', 'create'], FIRST)
    // Every page after the first two overwritten: the password still opens the first page.
    const file = readFileSync(db)
    assert.ok(file.length > 4 * 4096)
    for (let i = 2 * 4096; i < file.length; i++) file[i] = (i * 7919) % 251
    writeFileSync(db, file)
    let app = await second.session()

    await step(t, () => app, 'the lock screen first; the right password finds the damage', async () => {
      await locked(app)
      await type(app, 'lock-password', FIRST)
      await click(app, 'lock-unlock')
      await find(app, 'recovery-screen', 30000)
      await find(app, 'recovery-newest')
      await screenshot(app, 'zh-lock-then-recovery')
    })

    await step(t, () => app, 'the encrypted backup is restored, still encrypted, and the app restarts', async () => {
      await click(app, 'recovery-restore')
      const names = () => cli(db, ['customers', 'list'], FIRST).items.map((c) => c.name).sort()
      await waitFor(() => JSON.stringify(names()) === JSON.stringify(['万家超市', '华信科技有限公司'].sort()), 30000, 'the restored ledger')
      assert.equal(plainOnDisk(db), false, 'the restored ledger is encrypted')
      await Promise.race([app.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10000))])
      await endApps()
    })

    app = await second.session()
    await step(t, () => app, 'relaunched: locked, and the password opens the restored customers', async () => {
      await locked(app)
      await unlock(app, FIRST)
      await click(app, 'nav-customers')
      await waitForRows(app, ['万家超市', '华信科技有限公司'])
    })
    await app.quit()
  } finally {
    second.stop()
  }
})
