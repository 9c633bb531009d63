import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import CustomersPage from './pages/CustomersPage.vue'
import SettingsPage from './pages/SettingsPage.vue'
import ComingSoonPage from './pages/ComingSoonPage.vue'
import CustomerDetailPage from './pages/CustomerDetailPage.vue'
import RecycleBinPage from './pages/RecycleBinPage.vue'
import ImportPage from './pages/ImportPage.vue'
import WorkbenchPage from './pages/WorkbenchPage.vue'
import FollowupsPage from './pages/FollowupsPage.vue'

/** The sidebar, in order. `ready: false` sections say plainly that they are coming. */
export const sections = [
  { name: 'workbench', ready: true },
  { name: 'customers', ready: true },
  { name: 'deals', ready: true },
  { name: 'followups', ready: true },
  { name: 'reports', ready: true },
  { name: 'settings', ready: true },
] as const

const pages: Record<string, RouteRecordRaw['component']> = {
  workbench: WorkbenchPage,
  followups: FollowupsPage,
  customers: CustomersPage,
  settings: SettingsPage,
  // Loaded on first visit: the charts (ECharts) stay out of the start-up bundle.
  deals: () => import('./pages/DealsPage.vue'),
  reports: () => import('./pages/ReportsPage.vue'),
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/workbench' },
  { path: '/customers/:id(\\d+)', name: 'customer', component: CustomerDetailPage },
  { path: '/customers/bin', name: 'bin', component: RecycleBinPage },
  { path: '/customers/import', name: 'import', component: ImportPage },
  ...sections.map((s) => ({
    path: `/${s.name}`,
    name: s.name,
    component: pages[s.name] ?? ComingSoonPage,
    props: s.ready ? false : { section: s.name },
  })),
]

export function makeRouter() {
  // Hash history: the embedded UI is served by Tauri's custom protocol, which has no
  // server-side fallback for deep paths.
  return createRouter({ history: createWebHashHistory(), routes })
}
