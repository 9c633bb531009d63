// A reminder due a minute ahead reaches the OS notification service (captured on the session
// bus with dbus-monitor), and without any notification service the app neither hangs nor
// crashes: the reminder is still there for the user.
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { By, until } from 'selenium-webdriver'
import { appBinary, find, screenshot, startDriver, text } from './harness.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const cli = path.join(path.dirname(appBinary), 'yiben')

/** A ledger in a fresh data dir with one customer whose next step reminds a minute from now. */
function ledgerWithReminderInAMinute(customer) {
  const dataHome = mkdtempSync(path.join(os.tmpdir(), 'yiben-notify-'))
  const dir = path.join(dataHome, 'cn.yiben.crm')
  mkdirSync(dir, { recursive: true })
  const db = path.join(dir, 'yiben.db')
  const run = (...args) => JSON.parse(execFileSync(cli, ['--db', db, ...args, '--json'], { encoding: 'utf8' }))
  const added = run('customers', 'add', '--name', customer)
  // The default lead time is an hour: due in 61 minutes reminds in one.
  const due = new Date(Date.now() + 61 * 60_000).toISOString()
  run('followups', 'add', '--customer', String(added.id), '--method', '电话', '--content', '电话沟通了设备采购需求',
    '--next-step', '电话确认报价', '--next-at', due)
  return { dataHome, remindsAt: Date.now() + 60_000 }
}

function waitFor(predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) resolve()
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`))
      else setTimeout(tick, 200)
    }
    tick()
  })
}

/** A private session bus that knows no services: notify-rust gets ServiceUnknown on it. */
async function privateBus(dataHome) {
  const config = path.join(dataHome, 'bare-bus.conf')
  writeFileSync(config, `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${os.tmpdir()}</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`)
  const bus = spawn('dbus-daemon', ['--config-file', config, '--nofork', '--print-address'])
  cleanups.push(() => bus.kill())
  return new Promise((resolve, reject) => {
    bus.stdout.once('data', (chunk) => resolve(String(chunk).trim()))
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited ${code}`)))
  })
}

/** Waits for the reminder's moment, then for the window's own pop-up naming the customer. */
async function expectInAppNotice(app, remindsAt, customer) {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, remindsAt - Date.now())))
  const body = await app.wait(until.elementLocated(By.css('[data-testid^="notice-"]')), 30_000)
  // The title (the customer) sits beside the body in the notification card.
  const card = await body.findElement(By.xpath('ancestor::div[contains(concat(" ", @class, " "), " n-notification ")][1]'))
  // While the pop-up slides in, WebKit reports its text as empty: wait for it to settle.
  let shown = ''
  await app.wait(async () => {
    shown = await card.getText()
    return shown !== ''
  }, 10_000).catch(() => undefined)
  assert.match(shown, new RegExp(`跟进提醒.*${customer}`))
  assert.match(shown, /电话确认报价/)
}

const cleanups = []
after(() => cleanups.reverse().forEach((f) => f()))

test('a reminder due in a minute reaches the OS notification service', async () => {
  const { dataHome, remindsAt } = ledgerWithReminderInAMinute('华信科技')
  const monitor = spawn('dbus-monitor', ["interface='org.freedesktop.Notifications',member='Notify'"])
  cleanups.push(() => monitor.kill())
  let captured = ''
  monitor.stdout.on('data', (chunk) => { captured += chunk })
  const driver = await startDriver(dataHome)
  cleanups.push(() => driver.stop())
  const app = await driver.session()
  try {
    await waitFor(() => captured.includes('华信科技'), 120_000, 'the Notify call')
    const firedAfter = Date.now() - remindsAt
    assert.ok(firedAfter > -1500, `fired ${-firedAfter} ms early`)
    assert.match(captured, /跟进提醒：华信科技/)
    assert.match(captured, /电话确认报价/)
    assert.match(captured, /一本账 CRM/)
    // The window is still alive and answering.
    await find(app, 'page-title')
    await screenshot(app, 'zh-notification-delivered')
  } finally {
    await app.quit()
  }
})

test('with no notification service the app neither hangs nor crashes', async () => {
  const { dataHome, remindsAt } = ledgerWithReminderInAMinute('明达贸易')
  const address = await privateBus(dataHome)
  const driver = await startDriver(dataHome, { DBUS_SESSION_BUS_ADDRESS: address })
  cleanups.push(() => driver.stop())
  const app = await driver.session()
  try {
    // The reminder still reaches the user: the window's own pop-up.
    await expectInAppNotice(app, remindsAt, '明达贸易')
    // Still responsive after the reminder came due: the page answers and navigation works.
    await (await find(app, 'nav-customers')).click()
    assert.equal(await text(app, 'page-title'), '客户')
    await screenshot(app, 'zh-notification-no-daemon')
  } finally {
    await app.quit()
  }
})

test('a notification service that never answers is given up on, and the app carries on', async () => {
  const { dataHome, remindsAt } = ledgerWithReminderInAMinute('远景贸易')
  const address = await privateBus(dataHome)
  const silent = spawn('/usr/bin/python3', [path.join(here, 'silent-notifier.py')], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address },
  })
  cleanups.push(() => silent.kill())
  await new Promise((resolve, reject) => {
    silent.stdout.once('data', resolve)
    silent.once('exit', (code) => reject(new Error(`the silent notifier exited ${code}`)))
  })
  const driver = await startDriver(dataHome, { DBUS_SESSION_BUS_ADDRESS: address })
  cleanups.push(() => driver.stop())
  const app = await driver.session()
  try {
    await expectInAppNotice(app, remindsAt, '远景贸易')
    await (await find(app, 'nav-settings')).click()
    assert.equal(await text(app, 'page-title'), '设置')
    await screenshot(app, 'zh-notification-silent-daemon')
  } finally {
    await app.quit()
  }
})
