// Ace needs a JavaScript entry point: register the TypeScript loader, then hand over to bin/console.ts.
import '@poppinss/ts-exec'

await import('./bin/console.js')
