import { onBeforeUnmount, onMounted, ref } from 'vue'

/**
 * Whether the page is in dark mode right now (the `dark` class on <html>), followed live: canvas
 * charts cannot use Tailwind's `dark:` classes, so their colours are chosen from this.
 */
export function useDark() {
  const dark = ref(false)
  let observer: MutationObserver | undefined
  onMounted(() => {
    const html = document.documentElement
    dark.value = html.classList.contains('dark')
    observer = new MutationObserver(() => (dark.value = html.classList.contains('dark')))
    observer.observe(html, { attributes: true, attributeFilter: ['class'] })
  })
  onBeforeUnmount(() => observer?.disconnect())
  return dark
}

/** Axis, grid and tooltip colours for ECharts in the current theme. */
export function chartColors(dark: boolean) {
  return {
    text: dark ? '#cbd5e1' : '#475569',
    grid: dark ? '#1e293b' : '#e2e8f0',
    tooltip: {
      backgroundColor: dark ? '#0f172a' : '#ffffff',
      borderColor: dark ? '#334155' : '#e2e8f0',
      textStyle: { color: dark ? '#e2e8f0' : '#0f172a' },
    },
    series: ['#0ea5e9', '#10b981', '#8b5cf6', '#f59e0b', '#ef4444'],
  }
}
