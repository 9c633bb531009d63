import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { By, until } from 'selenium-webdriver'
import { choose, closeDialogWith, find, screenshot, startDriver, step, text, type, waitForRows, waitForText } from './harness.mjs'

let driver
before(async () => { driver = await startDriver() })
after(() => driver?.stop())

const cli = process.env.YIBEN_CLI ?? path.join(path.dirname(process.env.YIBEN_APP ?? ''), 'yiben')

async function click(app, id) {
  await (await find(app, id)).click()
}

async function search(app, query) {
  await type(app, 'customer-search', query)
}

test('customer 360°: contacts, custom field, duplicates and merge, pinyin search, recycle bin', async (t) => {
  // A custom field shown in the list, defined through the CLI on the same ledger.
  const db = path.join(driver.dataHome, 'cn.yiben.crm', 'yiben.db')
  execFileSync(cli, ['--db', db, 'fields', 'add', '--label', '客户所属渠道', '--kind', 'single', '--options', '线上,线下', '--in-list'])
  const app = await driver.session()
  try {
    await step(t, () => app, 'creates a customer with two contacts and a custom field value', async () => {
      await click(app, 'add-customer')
      await type(app, 'customer-name', '华信科技有限公司')
      await choose(app, 'customer-industry', '制造业')
      await type(app, 'customer-owner', '王经理')
      await type(app, 'customer-phone', '0755-86001234')
      await click(app, 'add-contact')
      await type(app, 'contact-0-name', '李总')
      await type(app, 'contact-0-title', '总经理')
      await type(app, 'contact-0-phones', '139 1234 5678')
      await click(app, 'contact-0-decision')
      await click(app, 'add-contact')
      await type(app, 'contact-1-name', '赵工')
      await type(app, 'contact-1-phones', '13700001111, 010-12345678')
      await choose(app, 'custom-cf_1', '线上')
      await screenshot(app, 'zh-profile-form')
      await closeDialogWith(app, 'customer-save')
      await waitForRows(app, ['华信科技有限公司'])
      const table = await (await find(app, 'customer-table')).getText()
      assert.match(table, /2026-MFG-001|\d{4}-MFG-001/)
      assert.match(table, /李总/)
      assert.match(table, /线上/, 'the custom field is a list column')
      await screenshot(app, 'zh-profile-list')
    })

    await step(t, () => app, 'the detail page shows the 360° profile and edits in place', async () => {
      const row = await find(app, 'customer-row-name')
      await row.click()
      await waitForText(app, 'detail-number', /MFG-001/)
      const contacts = await app.findElements(By.css('[data-testid="detail-contact"]'))
      assert.equal(contacts.length, 2)
      assert.match(await contacts[0].getText(), /李总.*总经理.*决策人.*139 1234 5678/s)
      assert.equal(await text(app, 'detail-custom-cf_1'), '线上')
      await click(app, 'detail-region')
      await type(app, 'detail-region-input', '广东 深圳')
      await click(app, 'detail-region-save')
      await waitForText(app, 'detail-region', /广东 深圳/)
      await click(app, 'detail-email')
      await type(app, 'detail-email-input', 'not-an-email')
      await click(app, 'detail-email-save')
      assert.equal(await text(app, 'detail-email-error'), '请输入有效的邮箱地址')
      await screenshot(app, 'zh-profile-detail')
      assert.match(await (await find(app, 'timeline')).getText(), /修改了地区/)
      await click(app, 'back')
    })

    await step(t, () => app, 'a duplicate is caught before saving, then merged field by field', async () => {
      await click(app, 'add-customer')
      await type(app, 'customer-name', '华信科技')
      await type(app, 'customer-owner', '陈经理')
      await type(app, 'customer-phone', '+86 139-1234-5678')
      await click(app, 'customer-save')
      const warning = await find(app, 'duplicates')
      assert.match(await warning.getText(), /华信科技有限公司/)
      assert.match(await warning.getText(), /电话相同/)
      await screenshot(app, 'zh-duplicate-warning')
      const merge = await app.findElement(By.css('[data-testid^="duplicate-merge-"]'))
      await merge.click()
      await find(app, 'merge-dialog')
      await click(app, 'merge-take-owner')
      await screenshot(app, 'zh-merge-dialog')
      await click(app, 'merge-confirm')
      await waitForText(app, 'detail-owner', /陈经理/)
      assert.match(await (await find(app, 'timeline')).getText(), /合并了另一位客户/)
      await click(app, 'back')
      await waitForText(app, 'customer-count', '共 1 位客户')
    })

    await step(t, () => app, 'pinyin initials find the customer', async () => {
      await click(app, 'add-customer')
      await type(app, 'customer-name', '张三')
      await click(app, 'kind-person')
      await closeDialogWith(app, 'customer-save')
      await waitForText(app, 'customer-count', '共 2 位客户')
      await search(app, 'hxkj')
      await waitForRows(app, ['华信科技有限公司'])
      await search(app, 'zs')
      await waitForRows(app, ['张三'])
      await screenshot(app, 'zh-pinyin-search')
      await search(app, '1234')
      await waitForRows(app, ['华信科技有限公司'])
      await search(app, '')
      await waitForText(app, 'customer-count', '共 2 位客户')
    })

    await step(t, () => app, 'delete moves to the recycle bin, restore brings it back', async () => {
      await search(app, '张三')
      await waitForRows(app, ['张三'])
      await (await find(app, 'customer-row-name')).click()
      await click(app, 'detail-delete')
      const yes = await app.wait(until.elementLocated(By.xpath("//div[contains(@class,'n-popconfirm')]//button[contains(@class,'n-button--primary-type')]")), 10000)
      await app.wait(until.elementIsVisible(yes), 10000)
      await yes.click()
      await find(app, 'bin-banner')
      await click(app, 'back')
      await search(app, '')
      await waitForText(app, 'customer-count', '共 1 位客户')
      await click(app, 'open-bin')
      await waitForText(app, 'page-title', '回收站')
      assert.match(await text(app, 'bin-row-name'), /张三/)
      await screenshot(app, 'zh-recycle-bin')
      const restore = await app.findElement(By.css('[data-testid^="bin-restore-"]'))
      await restore.click()
      await find(app, 'bin-empty')
      await click(app, 'nav-customers')
      await waitForText(app, 'customer-count', '共 2 位客户')
    })

    await step(t, () => app, 'the same screens in English', async () => {
      await click(app, 'lang-en')
      await waitForText(app, 'page-title', 'Customers')
      await screenshot(app, 'en-profile-list')
      await search(app, 'hxkj')
      await waitForRows(app, ['华信科技有限公司'])
      await (await find(app, 'customer-row-name')).click()
      await waitForText(app, 'detail-number', /MFG-001/)
      await screenshot(app, 'en-profile-detail')
      await click(app, 'back')
      await click(app, 'add-customer')
      await type(app, 'customer-name', '华信科技有限公司')
      await click(app, 'customer-save')
      assert.match(await text(app, 'duplicates'), /Same name/)
      await screenshot(app, 'en-duplicate-warning')
      await closeDialogWith(app, 'customer-cancel')
      await click(app, 'nav-settings')
      await waitForText(app, 'page-title', 'Settings')
      await screenshot(app, 'en-settings-lists')
      await click(app, 'lang-zh-CN')
      await waitForText(app, 'page-title', '设置')
      await screenshot(app, 'zh-settings-lists')
    })
  } finally {
    await app.quit()
  }
})
