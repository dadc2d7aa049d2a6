import './css/app.css'
import { createApp, h, type DefineComponent } from 'vue'
import { createInertiaApp } from '@inertiajs/vue3'
import { resolvePageComponent } from '@adonisjs/inertia/helpers'
import { createI18n } from 'vue-i18n'
import ptBR from '../lang/pt-BR/web.json'
import en from '../lang/en/web.json'

/* The server's message files are the client's too: one place to translate a text. */
export const i18n = createI18n({
  legacy: false,
  locale: 'pt-BR',
  fallbackLocale: 'pt-BR',
  messages: { 'pt-BR': { web: ptBR }, 'en': { web: en } },
})

createInertiaApp({
  title: (title) => (title ? `${title} · NioChat` : 'NioChat'),
  resolve: (name) => resolvePageComponent(`./pages/${name}.vue`, import.meta.glob<DefineComponent>('./pages/**/*.vue')),
  setup({ el, App, props, plugin }) {
    const initial = (props.initialPage.props as { locale?: string }).locale
    if (initial === 'en' || initial === 'pt-BR') i18n.global.locale.value = initial
    createApp({ render: () => h(App, props) }).use(plugin).use(i18n).mount(el)
  },
  progress: { color: '#0ea5e9' },
})
