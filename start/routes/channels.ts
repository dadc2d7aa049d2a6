/* Inboxes, the plugin catalogue and the webhook ingress (the channel plugins' part of the API). */
export {}
