// Every schema the terminal has shipped, kept so upgrades (and their tests) start from the real thing.
export const SCHEMA_V1 = {
  outbox: 'id, status, seq, [status+lane+seq]',
  answers: 'queryId',
  alerts: 'id, [acknowledgedAt+rank]',
  audit: '++seq',
} as const;

export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  outbox: 'id, status, seq, answeredAt, [status+lane+seq]',
} as const;
