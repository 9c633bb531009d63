// A ledger the app cannot open at start-up (here: one a newer version of Yiben has migrated,
// the everyday case of going back to an older app) shows why in the window, in the user's
// language, with 重试 and 退出, instead of the app not starting at all. Once the cause is dealt
// with, 重试 opens the ledger with nothing lost.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { after, before, test } from 'node:test'
import { byTestId, click, find, ledgerOf, screenshot, startDriver, step, text, waitForRows, waitForText, yiben } from './harness.mjs'

let driver
before(async () => {
  driver = await startDriver()
})
after(() => driver?.stop())

/** Marks the ledger as migrated by a newer version (or takes that mark away), as that version
 * would have left it; with Python's own SQLite, a program other than Yiben. */
function newerVersion(db, on) {
  const sql = on
    ? "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'from a newer version', 1, x'00', 0)"
    : 'DELETE FROM _sqlx_migrations WHERE version = 9999'
  execFileSync('python3', ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(sys.argv[2])\nc.commit()\nc.close()', db, sql])
}

const running = () => spawnSync('pgrep', ['-x', 'yiben-desktop']).status === 0

test('a ledger the app cannot open says why and opens after 重试 once the cause is gone', async (t) => {
  const db = ledgerOf(driver)
  yiben(db, ['customers', 'add', '--name', '华信科技'])
  newerVersion(db, true)

  let app = await driver.session()
  await step(t, () => app, 'the window says the ledger cannot be opened, and why, in Chinese', async () => {
    await find(app, 'open-failed-screen', 30000)
    assert.equal(await text(app, 'page-title'), '无法打开账本')
    assert.match(await text(app, 'open-failed-reason'), /^这个账本已被更新版本的一本账使用过/)
    assert.equal((await app.findElements(byTestId('nav-customers'))).length, 0, 'no page behind it')
    await screenshot(app, 'open-failed-zh-CN')
  })
  await step(t, () => app, 'in English too', async () => {
    await click(app, 'lang-en')
    await waitForText(app, 'page-title', 'The ledger cannot be opened')
    assert.match(await text(app, 'open-failed-reason'), /^This ledger has been used by a newer version of Yiben/)
    await screenshot(app, 'open-failed-en')
  })
  await step(t, () => app, '重试 while the cause remains says it still fails', async () => {
    await click(app, 'open-failed-retry')
    await find(app, 'open-failed-again', 30000)
    await find(app, 'open-failed-screen')
  })
  await step(t, () => app, 'the cause dealt with, 重试 opens the ledger with everything in it', async () => {
    newerVersion(db, false)
    await click(app, 'open-failed-retry')
    await find(app, 'nav-customers', 30000)
    await click(app, 'nav-customers')
    await waitForRows(app, ['华信科技'], 15000)
    await screenshot(app, 'open-failed-then-opened')
  })
  await app.quit()

  newerVersion(db, true)
  app = await driver.session()
  await step(t, () => app, '退出 ends the app', async () => {
    await find(app, 'open-failed-screen', 30000)
    // The app may be gone before the click's answer comes back.
    await click(app, 'open-failed-quit').catch(() => undefined)
    const deadline = Date.now() + 15000
    while (running() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
    assert.equal(running(), false, 'the app has exited')
  })
  await app.quit().catch(() => undefined)
  newerVersion(db, false)
  assert.equal(yiben(db, ['customers', 'list']).total, 1, 'the ledger is as it was')
})
