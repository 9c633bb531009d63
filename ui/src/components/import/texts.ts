// Import error sentences, chosen by code (never by the message text).
import type { AppError } from '../../ipc'
import { errorText, fieldErrorText } from '../../i18n'

type Translate = (key: string, named?: Record<string, unknown>) => string
type Exists = (key: string) => boolean

/** A field or file code as a sentence: the import's own wording first, then the form's. */
export function reasonText(t: Translate, te: Exists, code: string): string {
  const key = `importWizard.reasons.${code}`
  if (te(key)) return t(key)
  const fileKey = `importWizard.fileErrors.${code}`
  if (te(fileKey)) return t(fileKey)
  return fieldErrorText(t, code) ?? code
}

/** Any error the import commands give, as the sentence to show. */
export function importErrorText(t: Translate, te: Exists, err: AppError): string {
  if (err.code === 'IMPORT') {
    const file = err.fields.file
    const key = `importWizard.fileErrors.${file}`
    return file && te(key) ? t(key) : t('importWizard.errorCodes.IMPORT', { message: err.message })
  }
  if (err.code === 'CANCELLED') return t('importWizard.errorCodes.CANCELLED')
  if (err.code === 'VALIDATION' || err.code === 'CONFLICT') {
    const sentences = Object.entries(err.fields).map(([field, code]) => {
      const key = `importWizard.fieldErrors.${field}.${code}`
      return te(key) ? t(key) : reasonText(t, te, code)
    })
    if (sentences.length) return sentences.join(t('importWizard.listSeparator'))
  }
  return errorText(t, err)
}
