/** Shapes of the JSON API the inbox reads (see app/transformers). */
export interface Attachment {
  id: number
  kind: string
  mime: string
  fileName: string | null
  size: number | null
  status: string
  url: string
  playbackUrl: string | null
}
export interface InboxMessage {
  id: number
  conversationId: number
  direction: 'in' | 'out'
  senderKind: 'customer' | 'agent' | 'ai' | 'system'
  senderId: number | null
  senderName: string | null
  type: string
  content: string | null
  private: boolean
  quotedMessageId: number | null
  status: string
  error: string | null
  reactions: { emoji: string; by: 'customer' | number }[]
  location: { latitude: number; longitude: number; name?: string } | null
  contacts: { name: string; phones: string[] }[] | null
  deleted: boolean
  /** A workflow line of the history (assignment, transfer, resolution...). */
  event?: TimelineEvent | null
  /** The AI tool an event line reports on. */
  tool?: string | null
  /** Which part of the satisfaction survey a system text is. */
  csat?: string | null
  editedAt: string | null
  createdAt: string
  attachments?: Attachment[]
}
export interface ConversationRow {
  id: number
  status: 'bot' | 'pending' | 'open' | 'resolved'
  inboxId: number
  contactId: number
  assigneeId: number | null
  teamId: number | null
  priority: string
  labels: string[]
  unreadCount: number
  lastMessagePreview: string | null
  lastActivityAt: string
  snoozedUntil?: string | null
  contact?: { id?: number; name: string | null; phone: string | null }
  assignee?: { id: number; name: string } | null
  team?: { id: number; name: string } | null
}
export interface TimelineEvent {
  kind: 'taken' | 'assigned' | 'transferred' | 'resolved' | 'reopened'
  by: 'agent' | 'ai' | 'inactivity' | 'system'
  actorName: string | null
  assigneeName: string | null
  teamName: string | null
  toBot: boolean
  reason: string | null
}
