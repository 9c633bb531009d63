import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { By, Key, until } from 'selenium-webdriver'
import {
  byTestId, choose, click, find, ledgerOf, screenshot, startDriver, step, text, type, waitForText, yiben,
} from './harness.mjs'

// The export lands in the downloads folder the XDG user dirs name: a fresh one.
const configHome = mkdtempSync(path.join(os.tmpdir(), 'yiben-e2e-config-'))
const downloads = path.join(configHome, '下载')

let driver
before(async () => {
  mkdirSync(downloads, { recursive: true })
  writeFileSync(path.join(configHome, 'user-dirs.dirs'), `XDG_DOWNLOAD_DIR="${downloads}"\n`)
  driver = await startDriver(undefined, { XDG_CONFIG_HOME: configHome })
})
after(() => driver?.stop())

/** Ticks a customer's row checkbox in the list. */
async function tick(app, name) {
  const row = await app.wait(
    until.elementLocated(By.xpath(`//tr[.//*[@data-testid='customer-row-name' and text()='${name}']]`)),
    10000,
  )
  await (await row.findElement(By.css('.n-data-table-td--selection .n-checkbox'))).click()
}

/** The chips' texts in a customer's row. */
async function rowTags(app, name) {
  const row = await app.findElement(By.xpath(`//tr[.//*[@data-testid='customer-row-name' and text()='${name}']]`))
  const chips = await row.findElements(By.css('[data-testid^="tag-chip-"]'))
  return Promise.all(chips.map((c) => c.getText()))
}

/** Waits until a row carries these tags (the automatic ones may come and go beside them) and not those. */
async function waitForRowTags(app, name, expected, absent = []) {
  let last
  await app.wait(async () => {
    last = await rowTags(app, name).catch(() => null)
    return last !== null && expected.every((tag) => last.includes(tag)) && absent.every((tag) => !last.includes(tag))
  }, 10000).catch(() => { throw new Error(`${name} showed ${JSON.stringify(last)}, expected ${JSON.stringify(expected)} without ${JSON.stringify(absent)}`) })
}

async function sorted(app, expected) {
  let last
  await app.wait(async () => {
    try {
      const cells = await app.findElements(byTestId('customer-row-name'))
      last = (await Promise.all(cells.map((c) => c.getText()))).sort()
    } catch {
      // A row re-rendered under the read.
      return false
    }
    return JSON.stringify(last) === JSON.stringify([...expected].sort())
  }, 10000).catch(() => { throw new Error(`rows were ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`) })
}

/** Chooses in a filterable select by typing: long lists render only the options in view. */
async function pick(app, id, optionText) {
  // A drawer or dialog still sliding in refuses input for a moment.
  await app.wait(async () => {
    try {
      const select = await find(app, id)
      await select.click()
      await (await select.findElement(By.css('input'))).sendKeys(optionText)
      return true
    } catch (err) {
      if (!['ElementNotInteractableError', 'ElementClickInterceptedError', 'StaleElementReferenceError'].includes(err?.name)) throw err
      await app.sleep(150)
      return false
    }
  }, 5000, `${id} never took input`)
  // Menus of selects used before stay in the page, hidden: take the one on screen.
  const xpath = By.xpath(`//div[contains(@class,'n-base-select-option') and normalize-space(.)='${optionText}']`)
  let option
  await app.wait(async () => {
    for (const el of await app.findElements(xpath)) {
      if (await el.isDisplayed().catch(() => false)) {
        option = el
        return true
      }
    }
    return false
  }, 10000, `no option ${optionText} on screen`)
  await option.click()
}

/** Closes a multiple select's menu by clicking the dialog's title, outside the menu. */
async function closeMenu(app, dialogId) {
  await (await app.findElement(By.css(`[data-testid="${dialogId}"] .n-card-header__main`))).click()
  await app.sleep(300)
}

/** Opens a customer from the list, waiting out a drawer or toast still covering it. */
async function openRow(app, name) {
  await app.wait(async () => {
    try {
      await (await app.findElement(By.xpath(`//*[@data-testid='customer-row-name' and text()='${name}']`))).click()
      return true
    } catch (err) {
      if (!['NoSuchElementError', 'ElementClickInterceptedError', 'ElementNotInteractableError', 'StaleElementReferenceError'].includes(err?.name)) throw err
      return false
    }
  }, 10000, `could not open ${name}`)
  await waitForText(app, 'page-title', name)
}

/** Confirms the bulk tag dialog. A click can land while the closing tag menu still covers
 * the button and be lost; tagging again changes nothing, so click until the dialog closes. */
async function confirmBulk(app) {
  const open = async () => (await app.findElements(By.css('[data-testid="bulk-tag-dialog"]'))).length > 0
  for (let attempt = 0; attempt < 4 && (await open()); attempt++) {
    await click(app, 'bulk-tag-confirm').catch(() => undefined)
    await app.wait(async () => !(await open()), 3000).catch(() => undefined)
  }
  assert.equal(await open(), false, 'the bulk tag dialog closed')
}

/** Turns the builder's 高级 switch on. A click while the drawer still slides in is lost, and
 * a switch flips on every click, so click only while it is off. */
async function textMode(app) {
  const on = async () => {
    const cls = (await (await app.findElement(By.css('[data-testid="filter-advanced"]'))).getAttribute('class')) ?? ''
    return cls.includes('n-switch--active')
  }
  for (let attempt = 0; attempt < 5 && !(await on()); attempt++) {
    await click(app, 'filter-advanced').catch(() => undefined)
    await app.wait(on, 1500).catch(() => undefined)
  }
  await find(app, 'filter-text')
}

async function noMask(app) {
  await app.wait(async () => (await app.findElements(By.css('.n-modal-mask'))).length === 0, 10000)
}

test('tags, filters, segments and the value score', async (t) => {
  const db = ledgerOf(driver)
  const make = yiben(db, ['tags', 'add', '制造业', '--group', 'needs', '--color', '#1d6fd8'])
  const key = yiben(db, ['tags', 'add', '重点客户', '--group', 'grade', '--color', '#d03050'])
  const hx = yiben(db, ['customers', 'add', '--name', '华信精密制造有限公司', '--owner', '王经理'])
  const ht = yiben(db, ['customers', 'add', '--name', '恒通机械有限公司', '--owner', '李经理'])
  const lh = yiben(db, ['customers', 'add', '--name', '蓝海贸易有限公司', '--owner', '王经理'])
  const yj = yiben(db, ['customers', 'add', '--name', '远景软件有限公司', '--owner', '李经理'])
  yiben(db, ['customers', 'tag', String(lh.id), '--add', '重点客户'])
  // Contact scores them: recency, frequency and the customer's answer.
  for (const c of [hx, ht]) {
    yiben(db, ['followups', 'add', '--customer', String(c.id), '--method', '电话', '--content', '沟通需求', '--feedback', '有兴趣'])
  }
  const hxScore = yiben(db, ['customers', 'score', String(hx.id)])

  const app = await driver.session()
  try {
    await step(t, () => app, 'the list shows the value score and no tags yet', async () => {
      await click(app, 'nav-customers')
      await sorted(app, ['华信精密制造有限公司', '恒通机械有限公司', '蓝海贸易有限公司', '远景软件有限公司'])
      const row = await app.findElement(By.xpath(`//tr[.//*[@data-testid='customer-row-name' and text()='华信精密制造有限公司']]`))
      assert.equal(await (await row.findElement(byTestId('cell-valueScore'))).getText(), String(hxScore.score))
      await waitForRowTags(app, '蓝海贸易有限公司', ['重点客户'])
    })

    await step(t, () => app, 'tagging a selection puts the chips on those rows', async () => {
      await tick(app, '华信精密制造有限公司')
      await tick(app, '恒通机械有限公司')
      await waitForText(app, 'bulk-selected', '已选 2 位客户')
      await click(app, 'bulk-add')
      await pick(app, 'bulk-tag-pick', '制造业')
      await waitForText(app, 'bulk-tag-count', /2 位客户/)
      await closeMenu(app, 'bulk-tag-dialog')
      await confirmBulk(app)
      await noMask(app)
      await waitForRowTags(app, '华信精密制造有限公司', ['制造业'])
      await waitForRowTags(app, '恒通机械有限公司', ['制造业'])
      await waitForRowTags(app, '远景软件有限公司', [], ['制造业'])
    })

    await step(t, () => app, 'a quick tag chip filters the list and clears again', async () => {
      await click(app, `quick-tag-${make.id}`)
      await sorted(app, ['华信精密制造有限公司', '恒通机械有限公司'])
      await waitForText(app, 'applied-summary', '标签是「制造业」')
      await click(app, `quick-tag-${make.id}`)
      await sorted(app, ['华信精密制造有限公司', '恒通机械有限公司', '蓝海贸易有限公司', '远景软件有限公司'])
    })

    await step(t, () => app, 'the builder makes an AND / OR / NOT filter and reads it back', async () => {
      await click(app, 'open-filter')
      await pick(app, 'filter-value-0', '制造业')
      await click(app, 'filter-add-row')
      await choose(app, 'filter-key-1', '名称')
      await click(app, 'filter-not-1')
      await type(app, 'filter-value-1', '恒通')
      await click(app, 'filter-add-row')
      await choose(app, 'filter-join-2', '或')
      await pick(app, 'filter-value-2', '重点客户')
      await waitForText(app, 'filter-summary', '筛选：（标签是「制造业」 且 不满足（名称是「恒通」）） 或 标签是「重点客户」')
      await screenshot(app, 'zh-tags-builder')
      await click(app, 'filter-apply')
      await sorted(app, ['华信精密制造有限公司', '蓝海贸易有限公司'])
      await waitForText(app, 'applied-summary', /重点客户/)
    })

    await step(t, () => app, 'in text mode a mistake is shown at its place, and the fixed filter applies', async () => {
      await click(app, 'filter-edit')
      await textMode(app)
      await type(app, 'filter-text', '标签:制造业 且 (名称:恒通')
      await waitForText(app, 'filter-error', '第 10 个字符处：括号没有闭合')
      assert.equal(await text(app, 'filter-error-char'), '(')
      assert.equal(await (await find(app, 'filter-apply')).getAttribute('disabled'), 'true')
      await screenshot(app, 'zh-tags-filter-error')
      await type(app, 'filter-text', '标签:制造业 且 非 名称:华信')
      await waitForText(app, 'filter-summary', /标签是「制造业」 且 不满足（名称是「华信」）/)
      await click(app, 'filter-apply')
      await sorted(app, ['恒通机械有限公司'])
    })

    let segment
    await step(t, () => app, 'the filter saved as a segment appears in the sidebar with its count', async () => {
      await click(app, 'filter-reset')
      await sorted(app, ['华信精密制造有限公司', '恒通机械有限公司', '蓝海贸易有限公司', '远景软件有限公司'])
      await click(app, `quick-tag-${make.id}`)
      await sorted(app, ['华信精密制造有限公司', '恒通机械有限公司'])
      await click(app, 'segment-save')
      await type(app, 'segment-name', '制造业客户')
      await click(app, 'segment-confirm')
      await noMask(app)
      ;[segment] = yiben(db, ['segments', 'list'])
      assert.equal(segment.name, '制造业客户')
      await waitForText(app, `segment-count-${segment.id}`, '2')
      await waitForText(app, 'active-segment', '分群 · 制造业客户')
      await screenshot(app, 'zh-tags-list')
    })

    await step(t, () => app, 'the whole filtered list can be tagged at once', async () => {
      await click(app, 'bulk-add-all')
      await pick(app, 'bulk-tag-pick', '展会')
      await waitForText(app, 'bulk-tag-count', /2 位客户/)
      await closeMenu(app, 'bulk-tag-dialog')
      await confirmBulk(app)
      await noMask(app)
      await waitForRowTags(app, '华信精密制造有限公司', ['制造业', '展会'])
      await waitForRowTags(app, '恒通机械有限公司', ['制造业', '展会'])
    })

    await step(t, () => app, 'leaving the segment for 客户 shows everyone; clicking it opens it again', async () => {
      await click(app, 'nav-customers')
      await sorted(app, ['华信精密制造有限公司', '恒通机械有限公司', '蓝海贸易有限公司', '远景软件有限公司'])
      await click(app, `segment-${segment.id}`)
      await sorted(app, ['华信精密制造有限公司', '恒通机械有限公司'])
    })

    await step(t, () => app, 'tagging one more customer on its page moves the segment count; the score is explained', async () => {
      await click(app, 'nav-customers')
      await sorted(app, ['华信精密制造有限公司', '恒通机械有限公司', '蓝海贸易有限公司', '远景软件有限公司'])
      await openRow(app, '远景软件有限公司')
      await pick(app, 'customer-tag-pick', '制造业')
      await click(app, 'customer-tag-add')
      await waitForText(app, 'customer-tags', /制造业/)
      await waitForText(app, `segment-count-${segment.id}`, '3')
      await waitForText(app, 'value-score', /^\d+$/)
      await waitForText(app, 'score-recency', /从未联系/)
      await click(app, 'back')
      await openRow(app, '华信精密制造有限公司')
      await waitForText(app, 'value-score', String(hxScore.score))
      await waitForText(app, 'value-score-explain', /分数主要来自/)
      await screenshot(app, 'zh-tags-detail')
    })

    await step(t, () => app, 'settings: the tags card asks before deleting a tag in use', async () => {
      await click(app, 'nav-settings')
      await waitForText(app, `tag-count-${make.id}`, '3 位客户')
      await find(app, 'tag-auto-badge')
      await app.executeScript(`document.querySelector('[data-testid="tags-card"]').scrollIntoView()`)
      await screenshot(app, 'zh-tags-settings')
      await click(app, `tag-delete-${key.id}`)
      const confirm = await app.wait(until.elementLocated(By.css('.n-dialog')), 5000)
      await app.wait(async () => /1 位客户正在使用，确定删除？/.test(await confirm.getText()), 5000, 'the count is asked about')
      await (await confirm.findElement(By.xpath(`.//button[contains(., '取消')]`))).click()
      await app.wait(until.stalenessOf(confirm), 5000)
    })

    await step(t, () => app, 'in English: list, builder, sidebar, detail and settings', async () => {
      await click(app, 'lang-en')
      await waitForText(app, 'page-title', 'Settings')
      await app.executeScript(`document.querySelector('[data-testid="tags-card"]').scrollIntoView()`)
      await screenshot(app, 'en-tags-settings')
      await click(app, `segment-${segment.id}`)
      await sorted(app, ['华信精密制造有限公司', '恒通机械有限公司', '远景软件有限公司'])
      await waitForText(app, 'applied-summary', 'tag is "制造业"')
      await screenshot(app, 'en-tags-list')
      await click(app, 'filter-edit')
      await click(app, 'filter-add-row')
      await choose(app, 'filter-key-1', 'Last follow-up')
      await choose(app, 'filter-op-1', 'more than')
      await type(app, 'filter-value-1', '90d')
      await waitForText(app, 'filter-summary', /last follow-up more than 90d ago/)
      await screenshot(app, 'en-tags-builder')
      await click(app, 'filter-apply')
      await sorted(app, ['远景软件有限公司'])
      await openRow(app, '远景软件有限公司')
      await waitForText(app, 'score-recency', /Never contacted/)
      await screenshot(app, 'en-tags-detail')
      await click(app, 'lang-zh-CN')
    })
  } finally {
    await app.quit()
  }
})

/** The header row and the rows of an exported sheet, read by openpyxl. */
function sheetRows(file) {
  const script = 'import json, sys, openpyxl\nws = openpyxl.load_workbook(sys.argv[1]).active\nprint(json.dumps([[c.value for c in r] for r in ws.iter_rows()], ensure_ascii=False, default=str))'
  const out = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' })
  assert.equal(out.status, 0, `openpyxl could not read ${file}: ${out.stderr}`)
  return JSON.parse(out.stdout)
}

test('deals narrowed to tagged customers, a sharp fall of the score, tags in the export', async (t) => {
  const db = ledgerOf(driver)
  const value = yiben(db, ['tags', 'list']).find((tag) => tag.name === '高价值客户')
  const stages = Object.fromEntries(yiben(db, ['deals', 'stages']).map((s) => [s.code, s.id]))
  const yh = yiben(db, ['customers', 'add', '--name', '远航物流有限公司', '--owner', '王经理'])
  const df = yiben(db, ['customers', 'add', '--name', '东方电气有限公司', '--owner', '李经理'])
  yiben(db, ['customers', 'tag', String(yh.id), '--add', '高价值客户'])
  const deal = (customer, name, amount, stage) => yiben(db, ['deals', 'add', '--customer', String(customer.id), '--name', name, '--amount', amount, '--stage', stage])
  deal(yh, '仓储系统', '50万', 'proposal')
  deal(yh, '运输管理', '12万', 'negotiation')
  // 东方电气 won 100万 (score 75), then that deal was lost: 43, a fall of 32 from its high.
  const frame = deal(df, '年度框架', '100万', 'won')
  deal(df, '二期扩容', '20万', 'proposal')
  yiben(db, ['deals', 'move', String(frame.id), '--stage', 'lost', '--reason', '价格过高'])
  const churn = yiben(db, ['customers', 'list', '--filter', 'tag:流失预警'])
  assert.deepEqual(churn.items.map((c) => c.name), ['东方电气有限公司'], 'the fall tags it by itself')

  const counts = async (app) => Promise.all(['proposal', 'negotiation', 'lost'].map((code) => text(app, `kanban-count-${stages[code]}`)))
  const waitForCounts = async (app, expected) => {
    let last
    await app.wait(async () => {
      last = await counts(app).catch(() => null)
      return JSON.stringify(last) === JSON.stringify(expected)
    }, 10000).catch(() => { throw new Error(`kanban counts were ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`) })
  }
  const tab = async (app, name) => {
    await (await app.findElement(By.css(`.n-tabs-tab[data-name="${name}"]`))).click()
    await app.sleep(350)
  }

  const app = await driver.session()
  try {
    await step(t, () => app, 'a quick tag chip narrows the kanban, the funnel and the forecast', async () => {
      await click(app, 'nav-deals')
      await waitForCounts(app, ['2', '1', '1'])
      await click(app, `deals-quick-tag-${value.id}`)
      await waitForCounts(app, ['1', '1', '0'])
      await waitForText(app, 'deals-filter-summary', '只看这些客户的商机：标签是「高价值客户」')
      await screenshot(app, 'zh-deals-customer-filter')
      await tab(app, 'funnel')
      await app.wait(async () => {
        const tds = await (await find(app, 'funnel-row-proposal')).findElements(By.css('td')).catch(() => [])
        return tds.length > 1 && (await tds[1].getText()) === '1'
      }, 10000, 'the funnel counts one deal in 方案提交')
      await screenshot(app, 'zh-deals-customer-filter-funnel')
      await tab(app, 'forecast')
      await waitForText(app, 'forecast-amount', /62万/)
      await tab(app, 'kanban')
    })

    await step(t, () => app, 'a mistake in the filter is shown and the deals stay; clearing shows every deal', async () => {
      await type(app, 'deals-filter-text', 'tag:不存在')
      await (await (await find(app, 'deals-filter-text')).findElement(By.css('input'))).sendKeys(Key.ENTER)
      await waitForText(app, 'deals-filter-error', '没有这个标签')
      await waitForCounts(app, ['1', '1', '0'])
      await screenshot(app, 'zh-deals-customer-filter-error')
      await click(app, 'deals-filter-clear')
      await waitForCounts(app, ['2', '1', '1'])
    })

    await step(t, () => app, 'the score card says the sharp fall is why the customer is 流失预警', async () => {
      await click(app, 'nav-customers')
      await openRow(app, '东方电气有限公司')
      await waitForText(app, 'value-score', '43')
      await waitForText(app, 'value-score-fall', '比近期高点 75 分下降了 32 分，已标为「流失预警」。')
      await waitForText(app, 'customer-tags', /流失预警/)
      await screenshot(app, 'zh-tags-score-fall')
    })

    await step(t, () => app, 'settings: the score-drop rule of 流失预警 beside the no-response rule', async () => {
      await click(app, 'nav-settings')
      await app.executeScript('arguments[0].scrollIntoView({ block: "center" })', await find(app, 'rule-score-drop'))
      await waitForText(app, 'rule-score-drop', /天内下降[\s\S]*分及以上（流失预警）/)
      assert.equal(await (await (await find(app, 'rule-score-drop-points')).findElement(By.css('input'))).getAttribute('value'), '20')
      await screenshot(app, 'zh-settings-score-drop')
    })

    await step(t, () => app, 'the export carries the 标签 and 价值分 columns', async () => {
      await click(app, 'nav-customers')
      await click(app, `quick-tag-${value.id}`)
      await sorted(app, ['远航物流有限公司'])
      await click(app, 'export-customers')
      const toast = await app.wait(until.elementLocated(By.xpath("//div[contains(@class,'n-message__content') and contains(., '已导出到')]")), 20000)
      await app.wait(async () => (await toast.getText()).includes('已导出到'), 10000)
      const file = (await toast.getText()).replace(/^.*已导出到\s*/s, '').trim()
      assert.equal(path.dirname(file), downloads)
      const [header, row] = sheetRows(file)
      assert.ok(header.includes('标签') && header.includes('价值分'), `headers ${header}`)
      assert.equal(row[header.indexOf('客户名称')], '远航物流有限公司')
      assert.equal(row[header.indexOf('标签')], '高价值客户')
      assert.equal(typeof row[header.indexOf('价值分')], 'number')
      await click(app, `quick-tag-${value.id}`)
      // The toast would sit on the next screenshots.
      await app.wait(until.stalenessOf(toast), 15000)
    })

    await step(t, () => app, 'in English: the deals filter, the fall, the rule', async () => {
      await click(app, 'lang-en')
      await click(app, 'nav-deals')
      await waitForCounts(app, ['2', '1', '1'])
      await click(app, `deals-quick-tag-${value.id}`)
      await waitForCounts(app, ['1', '1', '0'])
      await waitForText(app, 'deals-filter-summary', 'Only deals of these customers: tag is "高价值客户"')
      await screenshot(app, 'en-deals-customer-filter')
      await click(app, 'nav-customers')
      await openRow(app, '东方电气有限公司')
      await waitForText(app, 'value-score-fall', 'Down 32 points from a recent high of 75: marked “churn risk”.')
      await screenshot(app, 'en-tags-score-fall')
      await click(app, 'nav-settings')
      await app.executeScript('arguments[0].scrollIntoView({ block: "center" })', await find(app, 'rule-score-drop'))
      await waitForText(app, 'rule-score-drop', /churn risk/)
      await screenshot(app, 'en-settings-score-drop')
      await click(app, 'lang-zh-CN')
    })
  } finally {
    await app.quit()
  }
})
