import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { By, until } from 'selenium-webdriver'
import {
  byTestId, click, closeDialogWith, day, find, ledgerOf, screenshot, startDriver, step, text, type, waitForRows, waitForText, yiben,
} from './harness.mjs'

// The steps log a next step "later today" and read it back on today's lists. Late in the
// evening that cannot work (an overdue step is announced over the page as a missed reminder),
// so this file, the CLI and the app it starts run in a zone where it is mid-morning now.
// Etc/GMT-N is N hours east of UTC.
{
  const east = ((((10 - new Date().getUTCHours()) % 24) + 24 + 12) % 24) - 12
  process.env.TZ = east >= 0 ? `Etc/GMT-${east}` : `Etc/GMT+${-east}`
}

let driver
before(async () => { driver = await startDriver() })
after(() => driver?.stop())

const pad = (n) => String(n).padStart(2, '0')
/** How the date pickers read a local time: 2026-03-05 15:30. */
const pickerText = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
const hhmm = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}`

/**
 * Puts a whole date-time into a Naive UI date picker at once, the way a paste does: typed
 * key by key, "15:3" already parses as 15:03 and the picker rewrites the text under the
 * next keystroke.
 */
async function paste(app, id, value) {
  const input = await (await find(app, id)).findElement(By.css('input'))
  await app.executeScript(
    `const input = arguments[0]
     input.focus()
     Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, arguments[1])
     input.dispatchEvent(new Event('input', { bubbles: true }))`,
    input,
    value,
  )
  // Leave the field so the picker's calendar closes.
  await app.executeScript('arguments[0].blur()', input)
  await app.findElement(By.css('body')).click().catch(() => undefined)
}

/** The value a text field or textarea holds. */
async function valueOf(app, id) {
  const input = await (await find(app, id)).findElement(By.css('input, textarea'))
  return input.getAttribute('value')
}

/** The id of the reminder whose action reads `action`, once it is listed. */
async function reminderId(app, action) {
  let id
  await app.wait(async () => {
    for (const el of await app.findElements(By.css('[data-testid^="reminder-action-"]'))) {
      if ((await el.getText()) === action) {
        id = (await el.getAttribute('data-testid')).slice('reminder-action-'.length)
        return true
      }
    }
    return false
  }, 10000, `no reminder reading ${action}`)
  return id
}

/** An element's text as the DOM has it: WebKit's getText comes back empty for text that
 * sits in an ellipsis box (a select's chosen label, a deal name). */
async function content(app, id, expected) {
  let last
  await app.wait(async () => {
    last = await app.executeScript(
      `const el = document.querySelector('[data-testid="${id}"]'); return el ? el.textContent.replace(/\\s+/g, ' ').trim() : null`,
    )
    return last !== null && (expected === undefined || (typeof expected === 'string' ? last === expected : expected.test(last)))
  }, 10000).catch(() => {
    throw new Error(`[data-testid=${id}] read ${JSON.stringify(last)}, expected ${expected}`)
  })
  return last
}

/** Scrolls an element into the middle of the view, for the screenshot. */
async function reveal(app, id) {
  const el = await find(app, id)
  await app.executeScript('arguments[0].scrollIntoView({ block: "start" })', el)
  return el
}

async function chooseMenu(app, id) {
  const item = await app.wait(until.elementLocated(byTestId(id)), 10000)
  await app.wait(until.elementIsVisible(item), 10000)
  await item.click()
}

async function confirmPopover(app) {
  const yes = await app.wait(
    until.elementLocated(By.xpath("//div[contains(@class,'n-popconfirm__action')]/button[last()]")),
    10000,
  )
  await app.wait(until.elementIsVisible(yes), 10000)
  await yes.click()
}

/** Closes the follow-up dialog with one of its buttons and waits until nothing covers the page. */
async function closeFollowupWith(app, buttonId) {
  const dialog = await find(app, 'followup-dialog')
  await click(app, buttonId)
  await app.wait(until.stalenessOf(dialog), 10000)
  await app.wait(async () => (await app.findElements(By.css('.n-modal-mask'))).length === 0, 10000)
}

test('follow-ups: log with a next step, the 工作台, snooze, done, the customer page, delete', async (t) => {
  const app = await driver.session()
  const now = new Date()
  // A next step due later today; late in the evening, one already overdue today instead.
  const lateEvening = now.getHours() >= 22
  const at = lateEvening ? new Date(now.getTime() - 2 * 3600_000) : null
  const nextAt = new Date(now.getTime() + (lateEvening ? -30 : 90) * 60_000)
  nextAt.setSeconds(0, 0)
  const content = '电话沟通了新一期的采购计划，客户对报价中的安装费用有疑问，希望我们把安装和培训分开报价，并提供两家同行业的案例参考。'
  let reminder
  let customerId
  try {
    await step(t, () => app, 'starts on the 工作台, and a new customer waits there for a first contact', async () => {
      assert.equal(await text(app, 'page-title'), '工作台')
      await find(app, 'workbench-due-empty')
      await click(app, 'nav-customers')
      await waitForText(app, 'page-title', '客户')
      await click(app, 'add-customer')
      await type(app, 'customer-name', '远景贸易有限公司')
      await type(app, 'customer-owner', '王经理')
      await closeDialogWith(app, 'customer-save')
      await waitForRows(app, ['远景贸易有限公司'])
      await click(app, 'nav-workbench')
      await waitForText(app, 'page-title', '工作台')
      const item = await app.wait(until.elementLocated(By.css('[data-testid^="new-customer-log-"]')), 10000)
      customerId = (await item.getAttribute('data-testid')).slice('new-customer-log-'.length)
      assert.match(await text(app, `new-customer-${customerId}`), /远景贸易有限公司/)
    })

    await step(t, () => app, 'the quick log opens the follow-up dialog with the method’s template and a gentle hint', async () => {
      await click(app, `new-customer-log-${customerId}`)
      await find(app, 'followup-dialog')
      await app.wait(async () => (await valueOf(app, 'followup-content')) === '沟通内容：\n客户反馈：\n下一步：', 10000)
      assert.match(await text(app, 'followup-content-hint'), /50 字以上/)
      assert.equal(await valueOf(app, 'followup-owner'), '王经理')
      await type(app, 'followup-content', content)
      await app.wait(async () => (await app.findElements(byTestId('followup-content-hint'))).length === 0, 5000)
      await type(app, 'followup-feedback', '安装费偏高')
      if (at) await paste(app, 'followup-at', pickerText(at))
      await type(app, 'followup-next-step', '电话确认分项报价')
      await paste(app, 'followup-next-at', pickerText(nextAt))
      assert.equal(await valueOf(app, 'followup-next-at'), pickerText(nextAt))
      await screenshot(app, 'zh-followup-dialog')
      await closeFollowupWith(app, 'followup-save')
    })

    await step(t, () => app, 'the next step is on the 工作台 and the customer is no longer new', async () => {
      reminder = await reminderId(app, '电话确认分项报价')
      await app.wait(async () => (await app.findElements(byTestId(`new-customer-${customerId}`))).length === 0, 10000)
      const due = await text(app, `reminder-due-${reminder}`)
      assert.equal(due, `到期 今天 ${hhmm(nextAt)}`)
      if (lateEvening) await find(app, `reminder-overdue-${reminder}`)
      await screenshot(app, 'zh-workbench')
    })

    await step(t, () => app, 'remind later by an hour moves the reminder time', async () => {
      const clicked = Date.now()
      await click(app, `reminder-snooze-${reminder}`)
      await chooseMenu(app, `reminder-snooze-1h-${reminder}`)
      // The new time, seen on the 跟进 plan (it may have left today's 工作台 near midnight).
      await click(app, 'nav-followups')
      await waitForText(app, 'page-title', '跟进计划')
      const expected = [0, 1].map((m) => new Date(clicked + 3600_000 + m * 60_000)).map(hhmm)
      await app.wait(async () => {
        const shown = await text(app, `reminder-remind-${reminder}`).catch(() => '')
        return expected.some((e) => shown.endsWith(e))
      }, 10000, `the reminder time never showed ${expected.join(' or ')}`)
      await screenshot(app, 'zh-followup-plan')
    })

    await step(t, () => app, 'the customer page shows the follow-up in its card and timeline, and the next action', async () => {
      await click(app, `reminder-customer-${reminder}`)
      await find(app, 'followups-card')
      assert.match(await text(app, 'followups-card'), /安装和培训分开报价/)
      assert.match(await text(app, 'followups-card'), /电话确认分项报价/)
      const timeline = await text(app, 'timeline')
      assert.match(timeline, /电话跟进/)
      assert.match(timeline, /创建了客户|创建/)
      assert.match(await text(app, 'detail-next-action'), /电话确认分项报价/)
      assert.doesNotMatch(await text(app, 'detail-last-followup'), /尚未跟进/)
      await screenshot(app, 'zh-detail-followups')
    })

    await step(t, () => app, 'the settings hold the reminder rules and the follow-up methods', async () => {
      await click(app, 'nav-settings')
      await waitForText(app, 'page-title', '设置')
      await reveal(app, 'reminder-rules-card')
      assert.match(await text(app, 'rule-first_contact'), /新客户超过/)
      await screenshot(app, 'zh-settings-rules')
      await reveal(app, 'followup-methods-card')
      assert.match(await text(app, 'followup-methods-card'), /微信/)
      await screenshot(app, 'zh-settings-methods')
    })

    await step(t, () => app, 'the same screens in English', async () => {
      await click(app, 'lang-en')
      await waitForText(app, 'page-title', 'Settings')
      await reveal(app, 'reminder-rules-card')
      assert.match(await text(app, 'rule-first_contact'), /not contacted within/)
      await screenshot(app, 'en-settings-rules')
      await reveal(app, 'followup-methods-card')
      await screenshot(app, 'en-settings-methods')
      await click(app, 'nav-workbench')
      await waitForText(app, 'page-title', 'Workbench')
      await find(app, `reminder-${reminder}`)
      await screenshot(app, 'en-workbench')
      await click(app, 'nav-followups')
      await waitForText(app, 'page-title', 'Follow-up plan')
      await find(app, `reminder-${reminder}`)
      await screenshot(app, 'en-followup-plan')
      await click(app, `reminder-customer-${reminder}`)
      await waitForText(app, 'detail-last-followup', /Last follow-up/)
      await screenshot(app, 'en-detail-followups')
      await click(app, 'followup-add')
      await find(app, 'followup-dialog')
      await app.wait(async () => (await valueOf(app, 'followup-content')).startsWith('Discussed:'), 10000)
      await screenshot(app, 'en-followup-dialog')
      await closeFollowupWith(app, 'followup-cancel')
      await click(app, 'lang-zh-CN')
      await waitForText(app, 'detail-last-followup', /最近跟进/)
    })

    await step(t, () => app, 'done takes the reminder off the 工作台', async () => {
      await click(app, 'nav-workbench')
      await waitForText(app, 'page-title', '工作台')
      // The 工作台 reloads its lists on arrival; a click that lands on the list being replaced
      // is lost, so click again until the reminder is gone (a second "done" is answered
      // with "already handled" and a refresh).
      const gone = async () => (await app.findElements(byTestId(`reminder-${reminder}`))).length === 0
      for (let attempt = 0; attempt < 3 && !(await gone()); attempt++) {
        await click(app, `reminder-done-${reminder}`).catch(() => undefined)
        await app.wait(gone, 4000).catch(() => undefined)
      }
      assert.ok(await gone(), 'the reminder left the 工作台')
      await find(app, 'workbench-due-empty')
    })

    await step(t, () => app, 'a follow-up is deleted after the confirmation', async () => {
      await click(app, 'nav-customers')
      await (await find(app, 'customer-row-name')).click()
      const item = await app.wait(until.elementLocated(By.css('[data-testid^="followup-delete-"]')), 10000)
      await app.wait(until.elementIsVisible(item), 10000)
      await item.click()
      await confirmPopover(app)
      await find(app, 'followups-empty')
      assert.doesNotMatch(await text(app, 'timeline'), /电话跟进/)
      assert.match(await text(app, 'detail-last-followup'), /尚未跟进/)
    })
  } finally {
    await app.quit()
  }
})

test('deals at risk on the 工作台: why, a follow-up about the deal, the customer page, settings', async (t) => {
  const db = ledgerOf(driver)
  const stages = Object.fromEntries(yiben(db, ['deals', 'stages']).map((s) => [s.code, s.id]))
  const hx = yiben(db, ['customers', 'add', '--name', '华信精密制造有限公司', '--owner', '李经理'])
  const add = (name, amount, stage, extra = [], global = []) =>
    yiben(db, [...global, 'deals', 'add', '--customer', String(hx.id), '--name', name, '--amount', amount, '--stage', stage, ...extra])
  // Its expected close date was yesterday: overdue at once.
  const late = add('仓储管理系统', '18.5万', 'negotiation', ['--close-date', day(-1)]).id
  // Added three weeks ago and never followed up: no contact for longer than the threshold.
  const quiet = add('设备升级', '12万', 'qualified', [], ['--now', new Date(Date.now() - 21 * 86_400_000).toISOString()]).id
  // Healthy: not at risk, but on offer in the follow-up dialog.
  const healthy = add('二期扩容', '50万', 'proposal', ['--close-date', day(30)]).id

  const app = await driver.session()
  try {
    await step(t, () => app, 'the 工作台 lists the stalled deals with their customer, amount, stage and why', async () => {
      await waitForText(app, 'page-title', '工作台')
      await find(app, `risk-deal-${late}`)
      await content(app, `risk-deal-name-${late}`, '仓储管理系统')
      assert.equal(await text(app, `risk-deal-amount-${late}`), '18.5万')
      assert.equal(await text(app, `risk-deal-stage-${late}`), '合同谈判')
      assert.match(await text(app, `risk-deal-reasons-${late}`), /已逾期 1 天/)
            assert.equal(await text(app, `risk-deal-customer-${late}`), '华信精密制造有限公司')
      assert.match(await text(app, `risk-deal-reasons-${quiet}`), /久未跟进/)
      assert.equal((await app.findElements(byTestId(`risk-deal-${healthy}`))).length, 0)
      await screenshot(app, 'zh-workbench-risk')
    })

    await step(t, () => app, 'its quick log is about that deal, and the deal is no longer without contact', async () => {
      await click(app, `risk-deal-log-${quiet}`)
      await find(app, 'followup-dialog')
      await content(app, 'followup-deal', /设备升级 · 12万 · 意向客户/)
      assert.equal(await valueOf(app, 'followup-owner'), '李经理')
      await type(app, 'followup-content', '电话回访设备升级需求，客户计划下季度立项，预算待财务确认，先发一份升级方案。')
      await screenshot(app, 'zh-followup-dialog-deal')
      await (await find(app, 'followup-deal')).click()
      const options = await app.wait(until.elementsLocated(By.css('.n-base-select-option')), 10000)
      const labels = await app.executeScript("return [...document.querySelectorAll('.n-base-select-option')].map((o) => o.textContent.trim())")
      assert.deepEqual(labels.sort(), ['二期扩容 · 50万 · 方案提交', '仓储管理系统 · 18.5万 · 合同谈判', '设备升级 · 12万 · 意向客户'].sort())
      await app.actions().sendKeys('\uE00C').perform()
      await closeFollowupWith(app, 'followup-save')
      const [logged] = yiben(db, ['followups', 'list', '--customer', String(hx.id)])
      assert.equal(logged.dealId, quiet)
      await app.wait(async () => (await app.findElements(byTestId(`risk-deal-${quiet}`))).length === 0, 10000)
      await find(app, `risk-deal-${late}`)
    })

    await step(t, () => app, 'the customer page has both the follow-ups and the deals', async () => {
      await click(app, `risk-deal-customer-${late}`)
      await waitForText(app, 'page-title', /华信精密制造有限公司/)
      assert.match(await text(app, 'followups-card'), /设备升级需求/)
      const deals = await text(app, 'customer-deals')
      for (const name of ['仓储管理系统', '设备升级', '二期扩容']) assert.match(deals, new RegExp(name))
      await screenshot(app, 'zh-detail-deals')
    })

    await step(t, () => app, 'settings hold every card, customers first, then follow-ups, then deals', async () => {
      await click(app, 'nav-settings')
      await waitForText(app, 'page-title', '设置')
      const order = await app.executeScript(
        `return [...document.querySelectorAll('[data-testid$="-card"]')].map((el) => el.dataset.testid)`,
      )
      assert.deepEqual(order, [
        'industries-card', 'custom-fields-card', 'tags-card', 'followup-methods-card', 'reminder-rules-card', 'deal-stages-card', 'lost-reasons-card',
        'privacy-card', 'encryption-card', 'backup-card', 'audit-card',
      ])
      await screenshot(app, 'zh-settings')
      await reveal(app, 'followup-methods-card')
      await screenshot(app, 'zh-settings-followups')
      await reveal(app, 'deal-stages-card')
      await screenshot(app, 'zh-settings-deals')
    })

    await step(t, () => app, 'the sidebar: no section is still coming', async () => {
      for (const section of ['workbench', 'customers', 'deals', 'followups', 'reports', 'settings']) {
        assert.doesNotMatch(await text(app, `nav-${section}`), /即将推出/)
      }
    })

    await step(t, () => app, 'the same screens in English', async () => {
      await click(app, 'lang-en')
      await waitForText(app, 'page-title', 'Settings')
      assert.doesNotMatch(await text(app, 'nav-reports'), /soon/i)
      assert.doesNotMatch(await text(app, 'nav-deals'), /soon/i)
      await screenshot(app, 'en-settings')
      await reveal(app, 'followup-methods-card')
      await screenshot(app, 'en-settings-followups')
      await reveal(app, 'deal-stages-card')
      await screenshot(app, 'en-settings-deals')
      await click(app, 'nav-workbench')
      await waitForText(app, 'page-title', 'Workbench')
      await waitForText(app, `risk-deal-stage-${late}`, 'Negotiation')
      assert.match(await text(app, `risk-deal-reasons-${late}`), /1 day overdue/)
      await screenshot(app, 'en-workbench-risk')
      await click(app, `risk-deal-log-${late}`)
      await find(app, 'followup-dialog')
      await content(app, 'followup-deal', /仓储管理系统 · 18.5万 · Negotiation/)
      await screenshot(app, 'en-followup-dialog-deal')
      await closeFollowupWith(app, 'followup-cancel')
      await click(app, `risk-deal-customer-${late}`)
      await find(app, 'customer-deals')
      await find(app, 'followups-card')
      await screenshot(app, 'en-detail-deals')
      await click(app, 'lang-zh-CN')
      await find(app, 'customer-deals')
    })
  } finally {
    await app.quit()
  }
})
