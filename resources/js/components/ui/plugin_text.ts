import { useI18n } from 'vue-i18n'

/**
 * A plugin describes its settings in English (label, help, options, description). The first-party
 * plugins' texts are translated in `admin.pluginTexts.<pluginId>.…`; anything not translated for the
 * reader's language (a third-party plugin, or English) shows the plugin's own text.
 */
export function usePluginText() {
  const { t, te, locale } = useI18n()
  return (pluginId: string | null | undefined, path: string, fallback: string | null | undefined): string | null => {
    const key = `admin.pluginTexts.${pluginId}.${path}`
    return pluginId && te(key, locale.value) ? t(key) : (fallback ?? null)
  }
}
