// The native file dialog, behind a wrapper: the dialog plugin is loaded on demand, and
// anything going wrong (plugin missing, dialog refused) answers null so the user can still
// paste a path by hand.

export const SPREADSHEET_EXTENSIONS = ['xlsx', 'xlsm', 'xls', 'ods', 'csv', 'txt']

/** Opens the native "open file" dialog; answers the chosen path, or null. */
export async function pickFile(filterName: string): Promise<string | null> {
  try {
    const { open } = await import('@tauri-apps/plugin-dialog')
    const chosen = await open({ multiple: false, directory: false, filters: [{ name: filterName, extensions: SPREADSHEET_EXTENSIONS }] })
    return typeof chosen === 'string' && chosen ? chosen : null
  } catch {
    return null
  }
}
