import env from '#start/env'
import { definePluginsConfig } from '#plugins/loader'

/**
 * The installed plugins. `local` names folders under plugins/ (each with a plugin.ts); `packages`
 * names npm packages. Adding a plugin is one line here; nothing else in the core changes.
 */
export default definePluginsConfig({
  local: [
    'evolution',
    'uazapi',
    'openai',
    'sgp',
    'ixc',
    'mkauth',
    'telegram',
    'email',
    // make:plugin adds new local plugins above this line
    // The customer simulator: on by default outside production (SIMULATOR_ENABLED).
    ...(env.get('SIMULATOR_ENABLED', env.get('NODE_ENV') !== 'production') ? ['simulator'] : []),
  ],
  packages: [],
})
