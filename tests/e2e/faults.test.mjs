import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import {
  byTestId, click, closeDialogWith, endApps, find, ledgerOf, screenshot, startDriver, step, text, type, waitForRows, waitForText, yiben,
} from './harness.mjs'

// The save dialog answers into `saved`.
const files = mkdtempSync(path.join(os.tmpdir(), 'yiben-e2e-faults-'))
const saved = path.join(files, 'saved')

let driver
before(async () => {
  driver = await startDriver(undefined, { YIBEN_SAVE_DIR: saved })
})
after(() => driver?.stop())

const names = (db) => yiben(db, ['customers', 'list']).items.map((c) => c.name).sort()
let copies = 0
/** Reads a saved ledger through a copy: opening a file as a ledger may write to it. */
function namesIn(file) {
  const copy = path.join(files, `copy-${++copies}`, 'ledger.db')
  mkdirSync(path.dirname(copy))
  copyFileSync(file, copy)
  return names(copy)
}

async function waitFor(check, timeout, what) {
  const deadline = Date.now() + timeout
  for (;;) {
    let last
    try {
      if (await check()) return
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`${what} never happened${last ? `: ${last.message}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** Writing the ledger back restarts the app, which ends the WebDriver session with it: wait
 * until the ledger at its path reads as expected, then end the session and every instance. */
async function afterRestart(app, db, expected) {
  // Not read before it is back: the command-line tool would start a new ledger in its place.
  await waitFor(() => existsSync(db), 30000, 'the ledger written back')
  await waitFor(() => JSON.stringify(names(db)) === JSON.stringify(expected), 30000, `the ledger holding ${expected}`)
  await Promise.race([app.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10000))])
  await endApps()
}

/** Tries to add a customer and answers what the form said. */
async function refusedAdd(app, name) {
  await click(app, 'nav-customers')
  await click(app, 'add-customer')
  await type(app, 'customer-name', name)
  await click(app, 'customer-save')
  return text(app, 'form-failure')
}

test('the data folder deleted while the app runs: saving stops with a clear message, the ledger is saved and written back', async (t) => {
  const db = ledgerOf(driver)
  const folder = path.dirname(db)
  yiben(db, ['customers', 'add', '--name', '华信科技有限公司', '--phone', '13812345678'])
  yiben(db, ['customers', 'add', '--name', '万家超市'])
  let app = await driver.session()
  const three = ['万家超市', '华信科技有限公司', '界面里加的客户']
  // The list shows the newest first.
  const listed = ['界面里加的客户', '万家超市', '华信科技有限公司']

  await step(t, () => app, 'a customer added in the window, then the folder is deleted', async () => {
    await waitForText(app, 'page-title', '工作台')
    // The daily backup runs once the first page shows; it must not be writing when the folder goes.
    await waitFor(() => yiben(db, ['backup', 'list']).some((b) => b.kind === 'daily'), 30000, 'the daily backup')
    await click(app, 'nav-customers')
    await click(app, 'add-customer')
    await type(app, 'customer-name', '界面里加的客户')
    await closeDialogWith(app, 'customer-save')
    await waitForRows(app, listed)
    rmSync(folder, { recursive: true, force: true })
    assert.equal(existsSync(folder), false)
  })

  await step(t, () => app, 'a new customer is refused with the message, and the warning offers the rescue', async () => {
    const said = await refusedAdd(app, '删除之后的客户')
    assert.equal(said, '数据文件夹已被删除或移走，为防止数据丢失已暂停保存，本次更改没有写入。请用页面顶部提示中的按钮保存账本。')
    await screenshot(app, 'zh-ledger-gone-form')
    await closeDialogWith(app, 'customer-cancel')
    await waitForText(app, 'ledger-gone-title', '数据文件夹已被删除')
    assert.match(await text(app, 'ledger-gone-body'), new RegExp(`账本所在的文件夹 ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} 在一本账运行时被删除或移走了`))
    // The list still reads from the open ledger.
    await waitForRows(app, listed)
    assert.equal(existsSync(folder), false, 'nothing recreated the folder behind the user')
    await screenshot(app, 'zh-ledger-gone')
  })

  await step(t, () => app, '另存为… writes the whole open ledger where the save dialog said', async () => {
    await click(app, 'ledger-rescue-to')
    await waitFor(() => existsSync(saved) && readdirSync(saved).some((f) => f.endsWith('.db')), 10000, 'the saved file')
    const file = path.join(saved, readdirSync(saved).find((f) => f.endsWith('.db')))
    assert.match(path.basename(file), /^一本账-\d{8}-\d{4}\.db$/)
    assert.deepEqual(namesIn(file), three)
    await waitForText(app, 'ledger-rescued-path', `账本已另存到 ${file}`)
    await find(app, 'ledger-gone')
  })

  await step(t, () => app, '在原位置重建并重启 writes the ledger back and the app restarts on it', async () => {
    await click(app, 'ledger-rescue-in-place')
    await afterRestart(app, db, three)
    assert.equal(yiben(db, ['check']).ok, true)
  })

  app = await driver.session()
  await step(t, () => app, 'relaunched: the data is there, and in English the same story', async () => {
    await waitForText(app, 'page-title', '工作台')
    await click(app, 'nav-customers')
    await waitForRows(app, listed)
    assert.equal((await app.findElements(byTestId('ledger-gone'))).length, 0)
    await click(app, 'lang-en')
    await waitForText(app, 'page-title', 'Customers')
    await waitFor(() => yiben(db, ['backup', 'list']).some((b) => b.kind === 'daily'), 30000, 'the daily backup')
    rmSync(folder, { recursive: true, force: true })
    // The window notices by itself, before anything is saved.
    await waitForText(app, 'ledger-gone-title', 'The data folder was deleted', 15000)
    await screenshot(app, 'en-ledger-gone')
    const said = await refusedAdd(app, 'After the deletion Ltd')
    assert.equal(said, 'The data folder was deleted or moved, so saving is paused to keep your data safe. The change was not written. Use the buttons in the warning at the top to save the ledger.')
    await screenshot(app, 'en-ledger-gone-form')
    await closeDialogWith(app, 'customer-cancel')
    await click(app, 'ledger-rescue-in-place')
    await afterRestart(app, db, three)
  })

  app = await driver.session()
  await step(t, () => app, 'relaunched again: every customer and the language are there', async () => {
    await waitForText(app, 'page-title', 'Workbench')
    await click(app, 'nav-customers')
    await waitForRows(app, listed)
    await click(app, 'lang-zh-CN')
    await waitForText(app, 'page-title', '客户')
  })
  await app.quit()
})
