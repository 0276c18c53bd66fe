export type Role = 'customer' | 'mechanic' | 'admin';
export type Status = 'pending' | 'accepted' | 'live' | 'completed' | 'cancelled' | 'no_show' | 'expired';

export type Participant = {
  userId: string;
  role: 'customer' | 'mechanic';
  joinedAt: string | null;
  connected: boolean;
};

export type Session = {
  id: string;
  status: Status;
  kind: 'chat' | 'video' | 'diagnostic';
  plan: string;
  customerId: string;
  mechanicId: string | null;
  vehicle: { year: number; make: string; model: string; vin?: string; mileage?: number };
  concern: string;
  urgent: boolean;
  version: number;
  deadlineAt: string | null;
  requestedAt: string;
  acceptedAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  plannedMinutes: number;
  extendedMinutes: number;
  durationMinutes: number | null;
  endReason: string | null;
  endedBy: string | null;
  noShowParty: 'customer' | 'mechanic' | 'both' | null;
  participants: Participant[];
};

export type Message = {
  id: string;
  seq: number;
  senderId: string;
  body: string;
  attachmentIds: string[];
  clientId: string;
  createdAt: string;
};

export type Mechanic = {
  userId: string;
  displayName: string;
  serviceTier: 'virtual_only' | 'workshop_partner';
  workshopId: string | null;
  approvalStatus: 'pending' | 'approved' | 'suspended';
  canAcceptSessions: boolean;
  onShift: boolean;
  ratingAvg: number;
  ratingCount: number;
};

export type Me = { user: { id: string; email: string; name: string; role: Role }; mechanic: Mechanic | null };

export type Plan = {
  slug: string;
  name: string;
  kind: string;
  priceCents: number;
  currency: string;
  minutes: number;
  requiredTier: string | null;
};

export type Report = {
  sessionId: string;
  summary: string;
  findings: string;
  severity: 'info' | 'soon' | 'urgent' | 'unsafe_to_drive';
  recommendations: { title: string; urgency: string; estimatedCostMinCents?: number; estimatedCostMaxCents?: number }[];
  followUp: 'none' | 'in_person_diagnostic' | 'repair_quote';
  status: 'draft' | 'submitted';
  submittedAt: string | null;
};
