import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, test } from 'node:test'
import { appBinary, choose, closeDialogWith, find, screenshot, startDriver, text, type, waitForRows, waitForText } from './harness.mjs'

let driver
before(async () => { driver = await startDriver() })
after(() => driver?.stop())

test('walking skeleton: add, validate, switch language, relaunch, single instance', async (t) => {
  let app = await driver.session()
  try {
    await t.test('starts on the 工作台 in Chinese, with the sidebar; 客户 opens the empty customer list', async () => {
      assert.equal(await text(app, 'page-title'), '工作台')
      assert.equal(await app.getTitle(), '一本账 CRM')
      for (const [id, label] of [['nav-workbench', '工作台'], ['nav-customers', '客户'], ['nav-deals', '商机'],
        ['nav-followups', '跟进'], ['nav-reports', '报表'], ['nav-settings', '设置']]) {
        assert.match(await text(app, id), new RegExp(`^${label}`))
      }
      await find(app, 'workbench-due-empty')
      await screenshot(app, 'zh-workbench-empty')
      await (await find(app, 'nav-customers')).click()
      await waitForText(app, 'page-title', '客户')
      await find(app, 'customers-empty')
      await waitForText(app, 'customer-count', '共 0 位客户')
      await screenshot(app, 'zh-customers-empty')
    })

    await t.test('adds a customer through the form and sees it in the list', async () => {
      await (await find(app, 'add-customer')).click()
      await type(app, 'customer-name', '华信科技有限公司')
      await type(app, 'customer-phone', '+86 139-1234-5678')
      await choose(app, 'customer-industry', '制造业')
      await screenshot(app, 'zh-customer-form')
      await closeDialogWith(app, 'customer-save')
      await waitForText(app, 'customer-count', '共 1 位客户')
      await waitForRows(app, ['华信科技有限公司'])
      const row = await (await find(app, 'customer-table')).getText()
      assert.match(row, /139 1234 5678/)
      assert.match(row, /制造业/)
      await screenshot(app, 'zh-customers-one')
    })

    await t.test('an invalid phone shows the inline error and saves nothing', async () => {
      await (await find(app, 'add-customer')).click()
      await type(app, 'customer-name', '李四')
      await type(app, 'customer-phone', '12345')
      await (await find(app, 'customer-save')).click()
      assert.equal(await text(app, 'error-phone'), '请输入有效的电话：11 位手机号，或区号-号码（如 010-12345678）')
      await screenshot(app, 'zh-customer-form-invalid-phone')
      await closeDialogWith(app, 'customer-cancel')
      assert.equal(await text(app, 'customer-count'), '共 1 位客户')
      await waitForRows(app, ['华信科技有限公司'])
    })

    await t.test('every section of the sidebar opens its page', async () => {
      await (await find(app, 'nav-reports')).click()
      await waitForText(app, 'page-title', '报表')
      await (await find(app, 'nav-settings')).click()
      await waitForText(app, 'page-title', '设置')
      await screenshot(app, 'zh-settings')
    })

    await t.test('switching to English changes the labels', async () => {
      await (await find(app, 'lang-en')).click()
      await waitForText(app, 'page-title', 'Settings')
      await screenshot(app, 'en-settings')
      await (await find(app, 'nav-customers')).click()
      await waitForText(app, 'page-title', 'Customers')
      assert.match(await text(app, 'nav-workbench'), /^Workbench/)
      await waitForText(app, 'customer-count', '1 customers')
      await screenshot(app, 'en-customers')
      await (await find(app, 'add-customer')).click()
      await type(app, 'customer-name', 'Bad phone Ltd')
      await type(app, 'customer-phone', '1391234')
      await (await find(app, 'customer-save')).click()
      assert.equal(await text(app, 'error-phone'), 'Enter a valid phone: an 11-digit mobile, or area code and number (e.g. 010-12345678)')
      await screenshot(app, 'en-customer-form-invalid-phone')
      await closeDialogWith(app, 'customer-cancel')
      await (await find(app, 'nav-reports')).click()
      await waitForText(app, 'page-title', 'Reports')
    })

    await t.test('a second launch hands over to the running app and exits', async () => {
      const second = spawn(appBinary, [], { env: driver.env, stdio: 'ignore' })
      const code = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => { second.kill('SIGKILL'); reject(new Error('second instance kept running')) }, 20000)
        second.once('exit', (c) => { clearTimeout(timer); resolve(c) })
      })
      assert.equal(code, 0)
      assert.equal(await text(app, 'page-title'), 'Reports', 'the first window is untouched')
    })
  } finally {
    await app.quit()
  }

  await t.test('after quitting and relaunching on the same data dir, everything is still there', async () => {
    app = await driver.session()
    try {
      assert.equal(await text(app, 'page-title'), 'Workbench', 'the language choice was remembered')
      await (await find(app, 'nav-customers')).click()
      await waitForText(app, 'page-title', 'Customers')
      await waitForText(app, 'customer-count', '1 customers')
      await waitForRows(app, ['华信科技有限公司'])
      await (await find(app, 'lang-zh-CN')).click()
      await waitForText(app, 'page-title', '客户')
    } finally {
      await app.quit()
    }
  })
})
