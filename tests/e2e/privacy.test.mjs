import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { By } from 'selenium-webdriver'
import { click, find, ledgerOf, screenshot, startDriver, step, text, waitForRows, waitForText, yiben } from './harness.mjs'

let driver
before(async () => { driver = await startDriver() })
after(() => driver?.stop())

test('masked lists: phones and e-mails hidden in the list, revealed on the detail page on request', async (t) => {
  const db = ledgerOf(driver)
  yiben(db, [
    'customers', 'add', '--name', '华信科技有限公司', '--phone', '13812345678', '--email', 'li.ming@huaxin.com',
    '--contact', 'name=李总,phone=13987654321,wechat=liming_hx,email=boss@huaxin.com',
  ])
  yiben(db, ['customers', 'add', '--name', '远航物流', '--phone', '0755-86001234'])
  const app = await driver.session()
  try {
    await step(t, () => app, 'unmasked by default', async () => {
      await waitForText(app, 'page-title', '工作台')
      await click(app, 'nav-customers')
      await waitForRows(app, ['远航物流', '华信科技有限公司'])
      const table = await (await find(app, 'customer-table')).getText()
      assert.match(table, /138 1234 5678/)
    })

    await step(t, () => app, 'turned on in 设置, the list masks them', async () => {
      await click(app, 'nav-settings')
      await waitForText(app, 'page-title', '设置')
      await find(app, 'privacy-card')
      await app.executeScript(`document.querySelector('[data-testid="privacy-card"]').scrollIntoView()`)
      await click(app, 'mask-lists')
      await app.wait(async () => (await (await find(app, 'mask-lists')).getAttribute('class')).includes('n-switch--active'), 5000, 'the switch is on')
      await screenshot(app, 'zh-privacy-settings')
      await click(app, 'nav-customers')
      await app.wait(async () => /138\*\*\*\*5678/.test(await (await find(app, 'customer-table')).getText()), 10000, 'the phone is masked')
      const table = await (await find(app, 'customer-table')).getText()
      assert.match(table, /0755-\*\*\*\*1234/)
      assert.doesNotMatch(table, /12345678|1234 5678|86001234/)
      await screenshot(app, 'zh-privacy-list')
      // The ledger is unchanged: the CLI's JSON reads the setting too, the record does not.
      const shown = yiben(db, ['customers', 'list'])
      assert.ok(JSON.stringify(shown).includes('138****5678'))
    })

    await step(t, () => app, 'the detail page hides them until 显示联系方式', async () => {
      const rows = await app.findElements(By.css('[data-testid="customer-row-name"]'))
      for (const row of rows) if ((await row.getText()).includes('华信')) await row.click()
      await waitForText(app, 'detail-phone-masked', '138****5678')
      assert.equal(await text(app, 'detail-email-masked'), 'l***@huaxin.com')
      const contact = await (await find(app, 'detail-contact')).getText()
      assert.match(contact, /139\*\*\*\*4321/)
      assert.match(contact, /l\*\*\*x.*b\*\*\*@huaxin\.com/s)
      assert.doesNotMatch(contact, /13987654321|boss@/)
      await screenshot(app, 'zh-privacy-detail-masked')
      await click(app, 'reveal-contacts')
      await waitForText(app, 'detail-phone', /138 1234 5678/)
      assert.match(await text(app, 'detail-email'), /li\.ming@huaxin\.com/)
      assert.match(await (await find(app, 'detail-contact')).getText(), /139 8765 4321.*liming_hx.*boss@huaxin\.com/s)
      await screenshot(app, 'zh-privacy-detail-revealed')
      await waitForText(app, 'reveal-contacts', '隐藏联系方式')
      await click(app, 'reveal-contacts')
      await waitForText(app, 'detail-phone-masked', '138****5678')
    })

    await step(t, () => app, 'in English', async () => {
      await click(app, 'nav-settings')
      await click(app, 'lang-en')
      await waitForText(app, 'page-title', 'Settings')
      await find(app, 'privacy-card')
      await app.executeScript(`document.querySelector('[data-testid="privacy-card"]').scrollIntoView()`)
      assert.match(await (await find(app, 'privacy-card')).getText(), /Mask phones and e-mails in lists/)
      await screenshot(app, 'en-privacy-settings')
      await click(app, 'nav-customers')
      await app.wait(async () => /138\*\*\*\*5678/.test(await (await find(app, 'customer-table')).getText()), 10000, 'still masked')
      await screenshot(app, 'en-privacy-list')
      const rows = await app.findElements(By.css('[data-testid="customer-row-name"]'))
      for (const row of rows) if ((await row.getText()).includes('华信')) await row.click()
      await waitForText(app, 'reveal-contacts', 'Show contact details')
      await screenshot(app, 'en-privacy-detail-masked')
      await click(app, 'reveal-contacts')
      await waitForText(app, 'detail-phone', /138 1234 5678/)
      await screenshot(app, 'en-privacy-detail-revealed')
    })
  } finally {
    await app.quit()
  }
})
