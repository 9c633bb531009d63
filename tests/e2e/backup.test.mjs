import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { By, until } from 'selenium-webdriver'
import {
  click, endApps, find, ledgerOf, screenshot, startDriver, step, text, type, waitForRows, waitForText, yiben,
} from './harness.mjs'

// The save dialog answers into `saved`; the open dialog answers `picked`, whose content each
// step puts in place first.
const files = mkdtempSync(path.join(os.tmpdir(), 'yiben-e2e-backup-'))
const saved = path.join(files, 'saved')
const picked = path.join(files, 'picked.db')

let driver
before(async () => {
  driver = await startDriver(undefined, { YIBEN_SAVE_DIR: saved, YIBEN_OPEN_FILE: picked })
})
after(() => driver?.stop())

const names = (db) => yiben(db, ['customers', 'list']).items.map((c) => c.name).sort()
let copies = 0
/** Reads a backup through a copy: opening a file as a ledger may write to it. */
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

/** A restore restarts the app, which ends the WebDriver session with it: wait until the
 * ledger reads as expected, then end the session and every app instance. */
async function afterRestart(app, db, expected) {
  await waitFor(() => JSON.stringify(names(db)) === JSON.stringify(expected), 30000, `the ledger holding ${expected}`)
  await Promise.race([app.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10000))])
  await endApps()
}

async function openSettingsCard(app, id) {
  await click(app, 'nav-settings')
  await find(app, id)
  await app.executeScript(`document.querySelector('[data-testid="${id}"]').scrollIntoView()`)
}

/** Brings a card's top to the top of the page, for a screenshot that shows it whole. */
async function scrollTo(app, id) {
  await app.executeScript(`document.querySelector('[data-testid="${id}"]').scrollIntoView({ block: 'start' })`)
}

/** Opens a select (waiting out a closing dropdown) and clicks the option reading exactly `label`. */
async function pick(app, id, label) {
  await click(app, id)
  const option = await app.wait(
    until.elementLocated(By.xpath(`//div[contains(@class,'n-base-select-option') and normalize-space(.)='${label}']`)),
    10000,
  )
  await app.wait(until.elementIsVisible(option), 5000)
  await option.click()
}

async function backupRows(app) {
  const rows = await app.findElements(By.css('[data-testid^="backup-row-"]'))
  return Promise.all(rows.map((r) => r.getText()))
}

async function auditActions(app) {
  const rows = await app.findElements(By.css('[data-testid^="audit-row-"]'))
  return Promise.all(rows.map((r) => r.getAttribute('data-action')))
}

test('backups: made in 设置, restored from a file after a restart, logged; a damaged ledger is recovered', async (t) => {
  const db = ledgerOf(driver)
  yiben(db, ['customers', 'add', '--name', '华信科技有限公司', '--phone', '13812345678'])
  yiben(db, ['customers', 'add', '--name', '万家超市'])
  let app = await driver.session()
  let savedFile

  await step(t, () => app, 'the daily backup is taken once the window shows, a manual one on request', async () => {
    await waitForText(app, 'page-title', '工作台')
    await openSettingsCard(app, 'backup-card')
    // The daily backup lands a moment after the first page; the card lists what the folder holds.
    await waitFor(() => yiben(db, ['backup', 'list']).some((b) => b.kind === 'daily'), 30000, 'the daily backup')
    await click(app, 'nav-customers')
    await openSettingsCard(app, 'backup-card')
    await waitFor(async () => (await backupRows(app)).some((r) => r.includes('每日自动')), 10000, 'the daily backup listed')
    const before = (await backupRows(app)).length
    await click(app, 'backup-now')
    await waitFor(async () => (await backupRows(app)).length === before + 1, 10000, 'the manual backup listed')
    const rows = await backupRows(app)
    assert.match(rows[0], /手动/)
    assert.match(rows[0], /\d+(\.\d)? KB/)
    assert.equal(yiben(db, ['backup', 'list']).filter((b) => b.kind === 'manual').length, 1)
    await scrollTo(app, 'backup-card')
    await screenshot(app, 'zh-backup-card')
  })

  await step(t, () => app, '备份到文件… writes a whole ledger where the save dialog said', async () => {
    await click(app, 'backup-to-file')
    await waitFor(() => existsSync(saved) && readdirSync(saved).some((f) => f.endsWith('.db')), 10000, 'the saved file')
    savedFile = path.join(saved, readdirSync(saved).find((f) => f.endsWith('.db')))
    assert.match(path.basename(savedFile), /^一本账备份-\d{8}-\d{4}\.db$/)
    assert.deepEqual(namesIn(savedFile), ['万家超市', '华信科技有限公司'])
    await app.wait(async () => (await app.findElements(By.xpath("//div[contains(@class,'n-message__content') and contains(., '已备份到')]"))).length > 0, 5000)
  })

  await step(t, () => app, 'the integrity check passes', async () => {
    await click(app, 'ledger-check')
    await waitForText(app, 'check-result', /^检查通过：数据库完好，2 个客户的搜索索引一致$/, 20000)
    await app.executeScript(`document.querySelector('[data-testid="check-result"]').scrollIntoView({ block: 'center' })`)
    await screenshot(app, 'zh-backup-check')
  })

  await step(t, () => app, '从文件恢复… asks first, then brings the old ledger back and restarts', async () => {
    yiben(db, ['customers', 'add', '--name', '备份之后的客户'])
    assert.deepEqual(names(db), ['万家超市', '华信科技有限公司', '备份之后的客户'])
    copyFileSync(savedFile, picked)
    await openSettingsCard(app, 'backup-card')
    await click(app, 'backup-restore-file')
    await waitForText(app, 'restore-confirm-file', '将用所选备份替换当前账本：picked.db')
    assert.match(await text(app, 'restore-confirm-safety'), /恢复前会先自动备份当前账本/)
    await screenshot(app, 'zh-backup-restore-confirm')
    await click(app, 'restore-confirm-ok')
    await afterRestart(app, db, ['万家超市', '华信科技有限公司'])
  })

  app = await driver.session()
  await step(t, () => app, 'after the restart the old data is there, the replaced ledger kept as 恢复前', async () => {
    await click(app, 'nav-customers')
    await waitForRows(app, ['万家超市', '华信科技有限公司'])
    await openSettingsCard(app, 'backup-card')
    await waitFor(async () => (await backupRows(app)).some((r) => r.includes('恢复前')), 10000, 'the pre-restore backup listed')
    const preRestore = yiben(db, ['backup', 'list']).find((b) => b.kind === 'pre-restore')
    assert.deepEqual(namesIn(preRestore.path), ['万家超市', '华信科技有限公司', '备份之后的客户'])
  })

  await step(t, () => app, 'the audit log shows the backups and the restore, filtered by action and text', async () => {
    await openSettingsCard(app, 'audit-card')
    await waitFor(async () => (await auditActions(app)).includes('backup_restore'), 10000, 'the restore logged')
    const actions = await auditActions(app)
    assert.equal(actions[0], 'backup_restore')
    // The log lives in the ledger: after a restore it is the backup's log (the daily and the
    // manual backup before it) plus the restore; the replaced ledger's lines stay in 恢复前.
    assert.ok(actions.filter((a) => a === 'backup_create').length >= 2, `${actions}`)
    const restoreRow = await (await app.findElement(By.css('[data-action="backup_restore"]'))).getText()
    assert.match(restoreRow, /恢复备份/)
    assert.match(restoreRow, /文件 picked\.db · 恢复前备份 yiben-\d{8}T\d{6}\.\d{3}Z-pre-restore\.db/)
    await scrollTo(app, 'audit-card')
    await screenshot(app, 'zh-audit-log')
    await pick(app, 'audit-action', '恢复备份')
    await waitFor(async () => JSON.stringify(await auditActions(app)) === '["backup_restore"]', 10000, 'only the restore')
    await pick(app, 'audit-action', '备份')
    await type(app, 'audit-text', 'manual')
    await waitFor(async () => {
      const shown = await app.executeScript(
        `return [...document.querySelectorAll('[data-testid^="audit-row-"]')].map((r) => [r.dataset.action, r.textContent])`,
      )
      return shown.length >= 1 && shown.every(([action, text]) => action === 'backup_create' && text.includes('类型 手动'))
    }, 10000, 'only manual backups')
    await scrollTo(app, 'audit-card')
    await screenshot(app, 'zh-audit-log-filtered')
  })

  await step(t, () => app, 'in English: the card, a refused file, the check and the log', async () => {
    await click(app, 'lang-en')
    await waitForText(app, 'page-title', 'Settings')
    await openSettingsCard(app, 'backup-card')
    assert.match(await text(app, 'backup-card'), /Backup & restore/)
    await waitFor(async () => (await backupRows(app)).some((r) => r.includes('Before restore')), 5000, 'kinds in English')
    await scrollTo(app, 'backup-card')
    await screenshot(app, 'en-backup-card')
    writeFileSync(picked, 'name,phone\n华信,138\n')
    await click(app, 'backup-restore-file')
    await waitForText(app, 'restore-confirm-file', 'The current ledger will be replaced by the chosen backup: picked.db')
    await screenshot(app, 'en-backup-restore-confirm')
    await click(app, 'restore-confirm-ok')
    await app.wait(async () => (await app.findElements(By.xpath("//div[contains(@class,'n-message__content') and contains(., 'not a Yiben database')]"))).length > 0, 10000)
    await screenshot(app, 'en-backup-restore-refused')
    assert.deepEqual(names(db), ['万家超市', '华信科技有限公司'], 'nothing replaced')
    // Still working on the same ledger: a customer added now is in the next backup.
    yiben(db, ['customers', 'add', '--name', '恢复之后的客户'])
    await click(app, 'backup-now')
    await waitFor(async () => (await backupRows(app))[0]?.includes('Manual'), 10000, 'a second manual backup')
    await click(app, 'ledger-check')
    await waitForText(app, 'check-result', /^All good: the database is whole and the search index matches all 3 customers$/, 20000)
    await scrollTo(app, 'backup-card')
    await screenshot(app, 'en-backup-check')
    await openSettingsCard(app, 'audit-card')
    // Still filtered to manual backups, now in English.
    await waitFor(async () => /Backup.*Kind Manual/s.test(await text(app, 'audit-table')), 10000, 'the log in English')
    await scrollTo(app, 'audit-card')
    await screenshot(app, 'en-audit-log')
  })
  await app.quit()

  // A damaged ledger: garbage where the database was.
  const garbage = Buffer.alloc(64 * 1024, 'not a database, not any more ')
  writeFileSync(db, garbage)
  app = await driver.session()
  await step(t, () => app, 'a damaged ledger shows the recovery screen instead of crashing', async () => {
    await find(app, 'recovery-screen')
    const kept = await text(app, 'recovery-corrupt-file')
    assert.match(path.basename(kept), /^yiben\.db\.corrupt-\d{8}T\d{6}\.\d{3}Z$/)
    assert.ok(existsSync(kept))
    assert.match(await text(app, 'recovery-newest'), /手动/)
    // The new, empty ledger speaks the default language.
    assert.equal(await text(app, 'page-title'), '账本文件已损坏')
    await screenshot(app, 'zh-recovery')
    await click(app, 'lang-en')
    await waitForText(app, 'page-title', 'The ledger file is damaged')
    assert.match(await text(app, 'recovery-newest'), /Newest good backup: .*\(Manual, /)
    await screenshot(app, 'en-recovery')
  })

  await step(t, () => app, 'restoring the newest good backup brings the data back after the restart', async () => {
    await click(app, 'recovery-restore')
    await afterRestart(app, db, ['万家超市', '华信科技有限公司', '恢复之后的客户'])
  })

  app = await driver.session()
  await step(t, () => app, 'the app opens on the restored ledger, the damaged file still kept', async () => {
    await click(app, 'nav-customers')
    await waitForRows(app, ['恢复之后的客户', '万家超市', '华信科技有限公司'])
    const dir = path.dirname(db)
    const kept = readdirSync(dir).filter((f) => /^yiben\.db\.corrupt-/.test(f) && !/-(wal|shm)$/.test(f))
    assert.equal(kept.length, 1)
    assert.ok(garbage.equals(readFileSync(path.join(dir, kept[0]))), 'kept byte for byte')
    await screenshot(app, 'en-recovered-customers')
    assert.ok(yiben(db, ['audit', '--action', 'backup_restore']).items.length >= 1)
    const check = yiben(db, ['check'])
    assert.equal(check.ok, true)
  })
  await app.quit()
})

test('a damaged ledger without any backup: the recovery screen offers an empty ledger, which then works', async (t) => {
  const own = await startDriver()
  try {
    const db = ledgerOf(own)
    mkdirSync(path.dirname(db), { recursive: true })
    writeFileSync(db, Buffer.alloc(16 * 1024, 'garbage '))
    const app = await own.session()
    try {
      await step(t, () => app, 'no backup to offer', async () => {
        await find(app, 'recovery-screen')
        assert.equal(await text(app, 'recovery-none'), '备份文件夹中没有可用的备份。')
        assert.equal((await app.findElements(By.css('[data-testid="recovery-restore"]'))).length, 0)
        await screenshot(app, 'zh-recovery-no-backup')
      })
      await step(t, () => app, '使用空账本开始 asks once, then the app opens on the empty ledger', async () => {
        await click(app, 'recovery-empty')
        await click(app, 'recovery-empty-confirm')
        await waitForText(app, 'page-title', '工作台')
        await click(app, 'nav-customers')
        await waitForText(app, 'page-title', '客户')
        assert.deepEqual(names(db), [])
        yiben(db, ['customers', 'add', '--name', '重新开始的客户'])
        await click(app, 'nav-settings')
        await click(app, 'nav-customers')
        await waitForRows(app, ['重新开始的客户'])
        const dir = path.dirname(db)
        assert.equal(readdirSync(dir).filter((f) => /^yiben\.db\.corrupt-[^-]+$/.test(f)).length, 1, 'the damaged file is kept')
      })
    } finally {
      await app.quit()
    }
  } finally {
    own.stop()
  }
})
