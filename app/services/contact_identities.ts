import { MalformedPayloadError, type ContactAddress } from '#plugins/sdk'

/**
 * The identities one address maps to, each a (kind, value) of contact_identities. Channels without a
 * kind of their own are told apart by plugin id: `other` + `<plugin>:<id>`.
 */
export function identitiesOf(address: ContactAddress, pluginId: string): { kind: string; value: string }[] {
  const out: { kind: string; value: string }[] = []
  const push = (kind: string, value: string | undefined) => {
    if (value && value.length <= 254) out.push({ kind, value })
  }
  switch (address.kind) {
    case 'whatsapp':
      push('whatsapp', address.phone?.replace(/\D/g, '') || undefined)
      push('whatsapp_lid', address.lid)
      break
    case 'telegram':
      push('telegram', address.userId)
      break
    case 'email':
      push('email', address.address?.toLowerCase())
      break
    case 'simulator':
      push('simulator', address.sessionId)
      break
    case 'other':
      push('other', address.id ? `${pluginId}:${address.id}` : undefined)
      break
  }
  if (!out.length) throw new MalformedPayloadError('the message has no usable sender address')
  return out
}
