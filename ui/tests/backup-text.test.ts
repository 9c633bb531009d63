import { describe, expect, it } from 'vitest'
import { baseName, formatSize } from '../src/backup-text'

describe('backup words', () => {
  it('sizes read as people read them', () => {
    expect(formatSize(0)).toBe('0 B')
    expect(formatSize(1023)).toBe('1023 B')
    expect(formatSize(1024)).toBe('1.0 KB')
    expect(formatSize(10 * 1024)).toBe('10 KB')
    expect(formatSize(1024 * 1024 - 1)).toBe('1024 KB')
    expect(formatSize(1024 * 1024)).toBe('1.0 MB')
    expect(formatSize(3.4 * 1024 ** 3)).toBe('3.4 GB')
    expect(formatSize(5 * 1024 ** 5)).toBe('5120 TB')
  })

  it('a path is named by its last part, on any system', () => {
    expect(baseName('/home/me/备份/a.db')).toBe('a.db')
    expect(baseName('C:\\Users\\me\\a.db')).toBe('a.db')
    expect(baseName('a.db')).toBe('a.db')
    expect(baseName('/home/me/')).toBe('/home/me/')
  })
})
