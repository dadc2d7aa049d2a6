import './css/app.css'
import { createApp, h, type DefineComponent } from 'vue'
import { createInertiaApp, router } from '@inertiajs/vue3'
import { resolvePageComponent } from '@adonisjs/inertia/helpers'
import { createI18n } from 'vue-i18n'
/*
 * The server's message files are the client's too: one place to translate a text. Each file is a
 * namespace (`resources/lang/pt-BR/inbox.json` → `t('inbox.…')`), so a feature adds its own file.
 */
const files = import.meta.glob<Record<string, unknown>>('../lang/*/*.json', { eager: true, import: 'default' })
const messages: Record<string, Record<string, unknown>> = { 'pt-BR': {}, 'en': {} }
for (const [path, content] of Object.entries(files)) {
  const [, locale, namespace] = path.match(/lang\/([^/]+)\/([^/]+)\.json$/) ?? []
  if (locale && messages[locale] && namespace !== 'validation') messages[locale][namespace] = content
}

export const i18n = createI18n({ legacy: false, locale: 'pt-BR', fallbackLocale: 'pt-BR', messages })

/*
 * Signing in (or saving the profile) changes the language and theme without a full page load: each
 * page's props carry them, so follow them on every navigation, not only on the first page.
 */
router.on('navigate', (event) => {
  const props = event.detail.page.props as { locale?: string; user?: { theme?: string } | null }
  if (props.locale === 'en' || props.locale === 'pt-BR') (i18n.global.locale as unknown as { value: string }).value = props.locale
  const theme = props.user?.theme
  if (theme) document.documentElement.classList.toggle('dark', theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches))
})

createInertiaApp({
  title: (title) => (title ? `${title} · NioChat` : 'NioChat'),
  resolve: (name) => resolvePageComponent(`./pages/${name}.vue`, import.meta.glob<DefineComponent>('./pages/**/*.vue')),
  setup({ el, App, props, plugin }) {
    const initial = (props.initialPage.props as { locale?: string }).locale
    if (initial === 'en' || initial === 'pt-BR') (i18n.global.locale as unknown as { value: string }).value = initial
    createApp({ render: () => h(App, props) }).use(plugin).use(i18n).mount(el)
  },
  progress: { color: '#0ea5e9' },
})
