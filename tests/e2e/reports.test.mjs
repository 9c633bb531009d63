import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { By, Key, until } from 'selenium-webdriver'
import { byTestId, choose, click, day, find, ledgerOf, screenshot, startDriver, step, text, waitForText, yiben } from './harness.mjs'

// Every save dialog answers with this folder, so exports need no native dialog.
const saveDir = mkdtempSync(path.join(os.tmpdir(), 'yiben-reports-'))
let driver
before(async () => { driver = await startDriver(undefined, { YIBEN_SAVE_DIR: saveDir }) })
after(() => {
  driver?.stop()
  rmSync(saveDir, { recursive: true, force: true })
})

async function tab(app, name) {
  await (await app.findElement(By.css(`.n-tabs-tab[data-name="${name}"]`))).click()
  await app.sleep(350)
}

/** The texts of a table row's cells. */
async function cells(app, id) {
  const tds = await (await find(app, id)).findElements(By.css('td'))
  return Promise.all(tds.map((td) => td.getText()))
}

/** The drawer's customer names, once it shows `count` rows. */
async function drawerNames(app, count) {
  await app.wait(async () => (await app.findElements(By.css('[data-testid^="drill-row-"]'))).length === count, 10000, `the drawer never listed ${count} rows`)
  const rows = await app.findElements(By.css('[data-testid^="drill-row-"]'))
  return Promise.all(rows.map(async (r) => (await r.findElement(By.css('td'))).getText()))
}

async function closeDrawer(app) {
  await app.actions().sendKeys(Key.ESCAPE).perform()
  await app.wait(async () => (await app.findElements(byTestId('drill-drawer'))).length === 0, 10000)
}

/** A file the save folder gained, waiting for it to be written. */
async function saved(app, name) {
  const file = path.join(saveDir, name)
  await app.wait(() => existsSync(file) && readFileSync(file).length > 0, 15000, `${name} was never written (have: ${readdirSync(saveDir)})`)
  return readFileSync(file)
}

/**
 * Clicks the trend chart's bar of the last month. ECharts draws with SVG: the bars are paths
 * in the series colour; the legend's swatch (same colour) sits above the plot.
 */
async function clickLastTrendBar(app) {
  const bar = await app.executeScript(`
    const chart = document.querySelector('[data-testid="chart-trend"]')
    const top = chart.getBoundingClientRect().top + 30
    const bars = [...chart.querySelectorAll('path')].filter((p) => {
      const fill = (p.getAttribute('fill') || '').toLowerCase()
      const box = p.getBoundingClientRect()
      return (fill === '#1d6fd8' || fill === 'rgb(29,111,216)') && box.top > top && box.height > 2
    })
    bars.sort((a, b) => b.getBoundingClientRect().left - a.getBoundingClientRect().left)
    return bars[0] || null`)
  assert.ok(bar, 'the trend chart draws a bar for this month')
  await app.actions({ async: true }).move({ origin: bar }).click().perform()
}

test('reports: KPIs, the period, a drill-down from a chart bar, every tab, and exports', async (t) => {
  const db = ledgerOf(driver)
  const now = Date.now()
  const longAgo = new Date(now - 40 * 86_400_000)
  // 40 days back is never this month; it is this year unless the year just began.
  const oldIsThisYear = longAgo.getFullYear() === new Date(now).getFullYear()

  const add = (args, at) => yiben(db, [...(at ? ['--now', at.toISOString()] : []), 'customers', 'add', ...args])
  const hx = add(['--name', '华信精密制造有限公司', '--industry', '制造业', '--source', '官网', '--owner', '王经理', '--employees', '200'])
  const md = add(['--name', '明达贸易', '--industry', '零售业', '--source', '展会', '--owner', '李经理', '--employees', '15'])
  const yj = add(['--name', '远景科技', '--industry', '制造业', '--source', '转介绍', '--owner', '王经理'])
  const old = add(['--name', '老客户实业', '--industry', '制造业', '--source', '官网', '--owner', '王经理'], longAgo)
  const deal = (customer, name, amount, stage, extra = []) =>
    yiben(db, ['deals', 'add', '--customer', String(customer.id), '--name', name, '--amount', amount, '--stage', stage, ...extra])
  deal(hx, '设备升级', '50万', 'won')
  deal(yj, 'CRM采购', '30万', 'won')
  deal(md, '年度采购', '20万', 'proposal', ['--close-date', day(30)])
  deal(md, '仓储系统', '8万', 'lost', ['--reason', '选择竞品'])
  const follow = (customer, method, content, feedback) =>
    yiben(db, ['followups', 'add', '--customer', String(customer.id), '--method', method, '--content', content, ...(feedback ? ['--feedback', feedback] : [])])
  follow(hx, '电话', '电话沟通设备升级方案', '客户认可方案')
  follow(md, '微信', '发送产品资料')
  follow(yj, '拜访', '上门演示CRM', '需要移动端')

  const app = await driver.session()
  try {
    await step(t, () => app, 'the 工作台 shows this month’s KPI cards', async () => {
      // The old customer's reminders fell due while the app was closed: acknowledge them.
      const missed = await find(app, 'missed-dialog', 15000)
      await click(app, 'missed-close')
      await app.wait(until.stalenessOf(missed), 10000)
      await app.wait(async () => (await app.findElements(By.css('.n-modal-mask'))).length === 0, 10000)
      await find(app, 'workbench-kpis')
      await waitForText(app, 'kpi-value-new_customers', '3')
      assert.equal(await text(app, 'kpi-value-amount_won'), '¥80万')
      await screenshot(app, 'zh-workbench-kpis')
    })

    await step(t, () => app, '报表 opens on the overview with this month’s figures', async () => {
      await click(app, 'nav-reports')
      await waitForText(app, 'page-title', '报表')
      await find(app, 'kpi-row')
      await waitForText(app, 'kpi-value-new_customers', '3')
      assert.equal(await text(app, 'kpi-value-followups'), '3')
      assert.equal(await text(app, 'kpi-value-deals_won'), '2')
      assert.equal(await text(app, 'kpi-value-amount_won'), '¥80万')
      assert.equal(await text(app, 'kpi-value-pipeline'), '¥20万')
      assert.match(await text(app, 'dashboard-period'), /统计周期：\d{4}-\d{2}-01 至/)
      await find(app, 'chart-funnel')
      await find(app, 'chart-trend')
      await screenshot(app, 'zh-reports-overview')
    })

    await step(t, () => app, 'a KPI opens the rows behind it', async () => {
      await click(app, 'kpi-amount_won')
      await find(app, 'drill-drawer')
      await waitForText(app, 'drill-total', '共 2 条')
      assert.deepEqual(await drawerNames(app, 2), ['设备升级', 'CRM采购'])
      await closeDrawer(app)
    })

    await step(t, () => app, 'clicking this month’s bar of the trend lists the new customers', async () => {
      await clickLastTrendBar(app)
      await find(app, 'drill-drawer')
      await waitForText(app, 'drill-total', '共 3 条')
      const names = await drawerNames(app, 3)
      assert.deepEqual([...names].sort(), ['华信精密制造有限公司', '明达贸易', '远景科技'].sort())
      await screenshot(app, 'zh-reports-drill')
      // A row opens the customer.
      await (await (await find(app, `drill-row-customer-${md.id}`)).findElement(By.css('td'))).click()
      await waitForText(app, 'page-title', /明达贸易/)
      await app.navigate().back()
      await waitForText(app, 'page-title', '报表')
    })

    await step(t, () => app, 'the period is remembered, and 本年 and a custom period change the figures', async () => {
      await click(app, 'period-year')
      await waitForText(app, 'kpi-value-new_customers', oldIsThisYear ? '4' : '3')
      await click(app, 'period-custom')
      await find(app, 'pick-range')
      // WebKit's typed keys do not reach the date picker's inputs: set them as typing would.
      await click(app, 'period-range')
      const day40 = day(-40)
      await app.executeScript(
        `for (const input of document.querySelectorAll('[data-testid="period-range"] input')) {
           input.value = arguments[0]
           input.dispatchEvent(new Event('input', { bubbles: true }))
         }`,
        day40,
      )
      const confirm = await app.wait(until.elementLocated(By.xpath("//div[contains(@class,'n-date-panel-actions')]//button[contains(., '确认')]")), 5000)
      await confirm.click()
      await waitForText(app, 'kpi-value-new_customers', '1')
      assert.equal(await text(app, 'kpi-value-deals_won'), '0')
      await screenshot(app, 'zh-reports-custom')
      await click(app, 'period-month')
      await waitForText(app, 'kpi-value-new_customers', '3')
      await choose(app, 'report-owner', '王经理')
      await waitForText(app, 'kpi-value-new_customers', '2')
      // Leaving and coming back keeps the owner and the period.
      await click(app, 'nav-customers')
      await click(app, 'nav-reports')
      await waitForText(app, 'kpi-value-new_customers', '2')
      await choose(app, 'report-owner', '全部负责人')
      await waitForText(app, 'kpi-value-new_customers', '3')
    })

    await step(t, () => app, 'customer analysis reads the insight off the screen', async () => {
      await tab(app, 'customers')
      await find(app, 'customers-insight')
      // 3 of the 4 customers; they won all of this month's ¥80万.
      assert.equal(await text(app, 'customers-insight'), '制造业客户占比75%，贡献100%业绩')
      assert.deepEqual((await cells(app, 'group-row-制造业')).slice(0, 5), ['制造业', '3', '75.0%', '¥800,000', '100.0%'])
      await screenshot(app, 'zh-reports-customers')
      await (await (await find(app, 'group-row-零售业')).findElement(By.css('td'))).click()
      await waitForText(app, 'drill-total', '共 1 条')
      assert.deepEqual(await drawerNames(app, 1), ['明达贸易'])
      await closeDrawer(app)
      await click(app, 'dimension-size')
      await find(app, 'group-row-100_499')
      assert.equal((await cells(app, 'group-row-100_499'))[0], '100–499人')
      assert.equal((await cells(app, 'group-row-none'))[0], '未填写')
    })

    await step(t, () => app, 'sales performance per owner and in total, with the lost reasons', async () => {
      await tab(app, 'performance')
      await find(app, 'performance-table')
      const wang = await cells(app, 'perf-row-王经理')
      assert.deepEqual(wang.slice(0, 6), ['王经理', '2', '2', '2', '¥800,000', '¥400,000'])
      assert.equal((await cells(app, 'perf-row-total'))[0], '合计')
      assert.match(await text(app, 'intent-stage'), /意向客户/)
      assert.match(await text(app, 'lost-line'), /选择竞品\(100%\)/)
      await screenshot(app, 'zh-reports-performance')
      await click(app, 'perf-wonCustomers-王经理')
      await waitForText(app, 'drill-total', '共 2 条')
      await closeDrawer(app)
    })

    await step(t, () => app, 'follow-up efficiency per method', async () => {
      await tab(app, 'followups')
      await find(app, 'followups-table')
      assert.deepEqual((await cells(app, 'method-row-phone')).slice(0, 4), ['电话', '1', '1', '100.0%'])
      assert.deepEqual((await cells(app, 'method-row-total')).slice(0, 4), ['合计', '3', '2', '66.7%'])
      await screenshot(app, 'zh-reports-followups')
    })

    await step(t, () => app, 'funnel analysis with the weakest stage', async () => {
      await tab(app, 'funnel')
      await find(app, 'funnel-stages-table')
      await find(app, 'chart-stages')
      await screenshot(app, 'zh-reports-funnel')
    })

    await step(t, () => app, 'exports the report, all reports and a chart picture', async () => {
      await click(app, 'export-current')
      const funnel = await saved(app, '漏斗分析_本月.xlsx')
      assert.equal(funnel.subarray(0, 2).toString(), 'PK', 'an .xlsx is a zip')
      await app.wait(until.elementLocated(By.xpath("//div[contains(@class,'n-message') and contains(., '已导出到')]")), 10000)
      await click(app, 'export-all')
      const all = await saved(app, '报表汇总_本月.xlsx')
      assert.equal(all.subarray(0, 2).toString(), 'PK')
      assert.ok(all.length > funnel.length, 'every report is in the whole export')
      await click(app, 'chart-stages-png')
      await app.wait(() => readdirSync(saveDir).some((f) => f.endsWith('.png')), 15000, 'no picture was saved')
      const png = readdirSync(saveDir).find((f) => f.endsWith('.png'))
      assert.deepEqual([...readFileSync(path.join(saveDir, png)).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    })

    await step(t, () => app, 'every tab in English', async () => {
      // The export notices cover the tabs until they fade.
      await app.wait(async () => (await app.findElements(By.css('.n-message'))).length === 0, 15000)
      await click(app, 'lang-en')
      await waitForText(app, 'page-title', 'Reports')
      await tab(app, 'dashboard')
      await waitForText(app, 'kpi-value-amount_won', '¥800k')
      assert.match(await text(app, 'kpi-new_customers'), /New customers/)
      await screenshot(app, 'en-reports-overview')
      await tab(app, 'customers')
      await find(app, 'customers-table')
      await screenshot(app, 'en-reports-customers')
      await tab(app, 'performance')
      await find(app, 'performance-table')
      await screenshot(app, 'en-reports-performance')
      await tab(app, 'followups')
      await find(app, 'followups-table')
      assert.equal((await cells(app, 'method-row-phone'))[0], 'Phone')
      await screenshot(app, 'en-reports-followups')
      await tab(app, 'funnel')
      await find(app, 'funnel-stages-table')
      await screenshot(app, 'en-reports-funnel')
      await click(app, 'nav-workbench')
      await find(app, 'workbench-kpis')
      await screenshot(app, 'en-workbench-kpis')
      await click(app, 'lang-zh-CN')
      await waitForText(app, 'page-title', '工作台')
    })
  } finally {
    await app.quit()
  }
})
